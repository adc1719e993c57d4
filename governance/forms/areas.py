"""The choice of one of the user's areas, for a report or an export."""

from django import forms
from django.db.models import QuerySet

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
