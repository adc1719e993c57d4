"""The demo's inbox: the steps the demo played through the services already told the parties
(parties added, updates, resolutions, claims, reviews, full sessions); here the reminders of
the day are added, as the scheduled command would. Run twice, it adds nothing."""

from django.db.models import Model
from django.utils import timezone

from inbox import registry


def load(street: Model, say=lambda message: None) -> None:
    today = timezone.localdate()
    told = sum(sum(remind(today)) for _name, remind in registry.reminders)
    say(f"  {told} reminders of the day (due soon, overdue, follow-ups, expiring terms)")
