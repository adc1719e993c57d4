"""The roster import form: a spreadsheet of a street's organisations and posts to check or load."""

import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.roster import csv_text
from residents.models import ResidentialArea, Street, User


def _is_workbook(file) -> bool:
    """A ZIP archive with the parts list every Office Open XML workbook has."""
    try:
        with zipfile.ZipFile(file) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)


class RosterImportForm(forms.Form):
    """A roster file to check or import, into one of the streets whose areas the user manages."""

    MAX_BYTES = 5 * 1024 * 1024

    street = forms.ModelChoiceField(label=_("street"), queryset=Street.objects.none())
    file = forms.FileField(
        label=_("roster file"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, laid out as the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Check only, write nothing"),
        help_text=_("Lists each row's problems; untick to import."),
        required=False,
        initial=True,
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        streets = Street.objects.filter(
            Q(pk__in=ResidentialArea.objects.managed_by(user).values("street"))
            | Q(pk__in=Street.objects.managed_by(user).values("pk"))
        )
        self.fields["street"].queryset = streets
        self.single_street = streets.first() if streets.count() == 1 else None
        if self.single_street is not None:
            del self.fields["street"]

    def clean_file(self):
        """Refuse at once what cannot be a roster: too large, another kind of file, or one whose
        content is not what its name says (the rows themselves are checked in the background)."""
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB."), code="file_too_large", params={"size": 5}
            )
        suffix = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
        file.seek(0)
        if suffix == "xlsx":
            if not _is_workbook(file):
                raise ValidationError(
                    _("The file cannot be read as an Excel workbook."), code="unreadable_file"
                )
        elif suffix == "csv":
            if "\x00" in csv_text(file.read()):
                raise ValidationError(
                    _("The CSV file holds binary data, not text."), code="unreadable_file"
                )
        else:
            raise ValidationError(_("Upload an .xlsx or .csv file."), code="unknown_format")
        file.seek(0)
        return file

    def chosen_street(self) -> Street:
        return self.single_street or self.cleaned_data["street"]
