# Micro-wishes moved to an app of their own (wishes), their tables as they are: governance forgets
# the models here and wishes.0001_initial takes them over with the same tables. The database is
# left alone.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0015_audit_trail'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalWish'),
                migrations.DeleteModel(name='Wish'),
            ],
        ),
    ]
