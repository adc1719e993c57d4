from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from doorstep.hours import DayRule, Period, Schedule
from doorstep.models import OpeningPeriod, ScheduleException, Service, Station
from governance.models import Organization
from residents.models import ResidentialArea, Street, User

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = ["area", "name", "address", "directions", "phone"]
        widgets = {"directions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ResidentialArea.objects.managed_by(user)
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean_phone(self) -> str:
        return " ".join(self.cleaned_data["phone"].split())


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "station",
            "title",
            "category",
            "description",
            "audience",
            "provider",
            "at_station",
            "place_name",
            "place_address",
            "access",
            "what_to_bring",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = ResidentialArea.objects.managed_by(user)
        self.fields["station"].queryset = Station.objects.managed_by(user).select_related("area")
        # The model's clean() checks the provider against the chosen station's area.
        self.fields["provider"].queryset = Organization.objects.filter(
            Q(area__in=areas)
            | Q(area__isnull=True, street__in=Street.objects.filter(areas__in=areas))
        ).distinct()


PeriodFormSet = inlineformset_factory(
    Station,
    OpeningPeriod,
    fk_name="station",
    fields=["weekday", "opens", "closes", "crosses_midnight"],
    widgets={"opens": TIME, "closes": TIME},
    extra=2,
    can_delete=True,
)
ExceptionFormSet = inlineformset_factory(
    Station,
    ScheduleException,
    fk_name="station",
    fields=["date", "kind", "works_like", "opens", "closes", "note"],
    widgets={"date": DATE, "opens": TIME, "closes": TIME},
    extra=1,
    can_delete=True,
)
ServicePeriodFormSet = inlineformset_factory(
    Service,
    OpeningPeriod,
    fk_name="service",
    fields=["weekday", "opens", "closes", "crosses_midnight"],
    widgets={"opens": TIME, "closes": TIME},
    extra=2,
    can_delete=True,
)
ServiceExceptionFormSet = inlineformset_factory(
    Service,
    ScheduleException,
    fk_name="service",
    fields=["date", "kind", "works_like", "opens", "closes", "note"],
    widgets={"date": DATE, "opens": TIME, "closes": TIME},
    extra=1,
    can_delete=True,
)
HOURS_HELP = _(
    "Leave the service's own hours empty when it keeps the station's hours. Holidays and "
    "adjusted working days of the station apply to services at the station."
)


def hours_from(periods: BaseInlineFormSet, exceptions: BaseInlineFormSet) -> Schedule:
    """The hours two valid formsets hold: the rows kept, changed or added, not those deleted
    and not the empty extra forms."""
    return Schedule(
        periods=tuple(
            Period(row["weekday"], row["opens"], row["closes"]) for row in _kept(periods)
        ),
        exceptions={
            row["date"]: DayRule(
                row["kind"], row["works_like"], row["opens"], row["closes"], row["note"]
            )
            for row in _kept(exceptions)
        },
    )


def _kept(formset: BaseInlineFormSet) -> list[dict]:
    deleted = formset.deleted_forms
    return [form.cleaned_data for form in formset if form.cleaned_data and form not in deleted]
