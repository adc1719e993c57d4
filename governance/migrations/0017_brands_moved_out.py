# Party-building brands moved to an app of their own (brands), their tables as they are:
# governance forgets the models here and brands.0001_initial takes them over with the same
# tables. The database is left alone.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0016_wishes_moved_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalBrandActivity'),
                migrations.DeleteModel(name='HistoricalBrand'),
                migrations.DeleteModel(name='BrandActivity'),
                migrations.DeleteModel(name='BrandAction'),
                migrations.DeleteModel(name='Brand'),
            ],
        ),
    ]
