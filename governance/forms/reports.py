"""The choices of the dashboard and the exports: a date range and an area."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from governance.dashboard import FIRST_YEAR, LAST_YEAR
from governance.forms.fields import DateInput
from residents.models import ResidentialArea


class AreaChoiceForm(forms.Form):
    """The ``?area=`` of a report or an export: the slug of one of ``areas``, or nothing for all
    of them. Anything else is invalid, a NUL byte included, before any query."""

    area = forms.ModelChoiceField(
        queryset=ResidentialArea.objects.none(), to_field_name="slug", required=False
    )

    def __init__(self, *args, areas: QuerySet[ResidentialArea], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


# A range at the calendar's edge would overflow the dates its figures are counted between. The
# date picker is held to the same days, so the limit shows before the form is sent.
DASHBOARD_FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
DASHBOARD_LAST_DAY = datetime.date(LAST_YEAR, 12, 31)
DASHBOARD_DAYS = [MinValueValidator(DASHBOARD_FIRST_DAY), MaxValueValidator(DASHBOARD_LAST_DAY)]
DASHBOARD_DATE_INPUT = DateInput(
    attrs={"min": DASHBOARD_FIRST_DAY.isoformat(), "max": DASHBOARD_LAST_DAY.isoformat()}
)


class DashboardForm(forms.Form):
    """The dashboard's date range and area, among the areas the user manages."""

    start = forms.DateField(
        label=_("from"), required=False, widget=DASHBOARD_DATE_INPUT, validators=DASHBOARD_DAYS
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=DASHBOARD_DATE_INPUT, validators=DASHBOARD_DAYS
    )
    area = forms.ModelChoiceField(
        label=_("residential area"),
        queryset=ResidentialArea.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("the whole street"),
    )

    def __init__(self, *args, areas: QuerySet[ResidentialArea], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if areas.count() < 2:
            del self.fields["area"]  # a secretary's dashboard is one area already

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(
                _("The range must end on or after its first day."), code="range_reversed"
            )
        return data
