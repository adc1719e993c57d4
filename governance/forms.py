import functools
import zipfile
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance import widgets
from governance.models import (
    AttachmentKind,
    Case,
    CaseStatus,
    Category,
    ClosureReason,
    Indicator,
    Organization,
    Post,
    Satisfaction,
    UpdateKind,
)
from governance.roster import csv_text
from governance.services.cases import EDITABLE_FIELDS
from residents.models import BuildingGroup, Compound, Person, ResidentialArea, Street, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "area", "phone", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].queryset = ResidentialArea.objects.managed_by(user)
        self.fields["area"].required = not Street.objects.managed_by(user).exists()
        self.fields["phone"].widget.attrs.update(autocomplete="off", inputmode="tel")


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["person", "title", "part_time", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user: User, organization: Organization, **kwargs) -> None:
        kwargs.setdefault("instance", Post(organization=organization))
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(
            street_id=organization.street_id
        )


class PostEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("last day in the post"), widget=DateInput(), initial=timezone.localdate
    )


class _CaseFieldsForm(forms.ModelForm):
    """The fields a case form shows; the case's place choices are limited to the given areas."""

    class Meta:
        model = Case
        fields = ["category", *(f for f in EDITABLE_FIELDS if f != "category")]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def _limit_choices(self, areas: QuerySet[ResidentialArea], current_category=None) -> None:
        active = Category.objects.filter(is_active=True)
        if current_category is not None:
            active = active | Category.objects.filter(pk=current_category)
        self.fields["category"].queryset = active
        self.fields["compound"].queryset = Compound.objects.filter(area__in=areas)
        self.fields["building_group"].queryset = BuildingGroup.objects.filter(
            compound__area__in=areas
        ).select_related("compound")
        self.fields["indicator"].queryset = Indicator.objects.filter(area__in=areas)
        self.fields["reporter_phone"].widget.attrs.update(autocomplete="off", inputmode="tel")

    def _post_clean(self) -> None:
        # Model validation runs in the service, which sets street, number and due date first.
        pass


class CaseForm(_CaseFieldsForm):
    """Logging a case in one of the areas the user manages."""

    not_a_duplicate = forms.BooleanField(
        label=_("This is a new problem, not one of the cases above"), required=False
    )

    class Meta(_CaseFieldsForm.Meta):
        fields = ["area", *_CaseFieldsForm.Meta.fields]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = ResidentialArea.objects.managed_by(user)
        self.fields["area"].queryset = areas
        self._limit_choices(areas)
        if areas.count() == 1:
            self.fields["area"].initial = areas.first()
        self.duplicates = Case.objects.none()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("category") and cleaned.get("area"):
            self.duplicates = Case.objects.possible_duplicates(
                category=cleaned["category"], compound=cleaned.get("compound"), area=cleaned["area"]
            ).select_related("area")[:5]
        if self.duplicates and not cleaned.get("not_a_duplicate"):
            self.add_error(
                "not_a_duplicate",
                ValidationError(
                    _(
                        "Check the possible duplicates above; "
                        "if this is a new problem, tick the box."
                    ),
                    code="possible_duplicate",
                ),
            )
        return cleaned

    def visible_fields(self) -> list:
        """The "not one of the cases above" box shows only below a list of possible duplicates."""
        fields = super().visible_fields()
        if self.duplicates:
            return fields
        return [field for field in fields if field.name != "not_a_duplicate"]


class CaseEditForm(_CaseFieldsForm):
    """Editing a case; ``version`` is the version the form was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance
        self.fields["version"].initial = case.version
        self._limit_choices(
            ResidentialArea.objects.filter(pk=case.area_id), current_category=case.category_id
        )


class CaseTransitionForm(forms.Form):
    to = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    closure_reason = forms.ChoiceField(
        label=_("closure reason"),
        choices=[("", _("Choose a reason…")), *ClosureReason.choices],
        required=False,
    )
    duplicate_of = forms.CharField(
        label=_("number of the original case"), required=False, max_length=20
    )


class _KeptChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the field's rows with a plain query (not ``iterator()``'s server-side cursor) and
    keeps them, however often the choices are read."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.rows()) + (self.field.empty_label is not None)


class _KeptRows:
    """A model choice field whose rows are read once: its queryset's, or ``shared_rows`` when
    a form gives several fields the same rows."""

    iterator = _KeptChoiceIterator
    shared_rows: Callable[[], list] | None = None

    def rows(self) -> list | QuerySet:
        return self.shared_rows() if self.shared_rows is not None else self.queryset


class KeptModelChoiceField(_KeptRows, forms.ModelChoiceField):
    pass


class IdsField(forms.ModelMultipleChoiceField):
    """Records chosen by id, where an id no database integer can hold (99999999999999999999) is
    an invalid choice like any unknown id, instead of an error from the database."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigAutoField")
        for pk in value if isinstance(value, list | tuple) else [value]:
            try:
                in_range = low <= int(str(pk)) <= high
            except (TypeError, ValueError):
                continue  # the parent names it an invalid value
            if not in_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class KeptIdsField(_KeptRows, IdsField):
    pass


class CasePartiesForm(forms.Form):
    lead = KeptModelChoiceField(
        label=_("lead party"),
        queryset=Organization.objects.none(),
        required=False,
        widget=widgets.Select,
    )
    assisting = KeptIdsField(
        label=_("assisting parties"),
        queryset=Organization.objects.none(),
        required=False,
        widget=widgets.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = Organization.objects.available_to(case.area).order_by("kind", "name")
        self.fields["lead"].queryset = choices
        self.fields["assisting"].queryset = choices
        rows = functools.cache(lambda: list(choices))  # one query for both lists
        self.fields["lead"].shared_rows = self.fields["assisting"].shared_rows = rows


class CaseUpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (UpdateKind.NOTE, UpdateKind.NOTE.label),
            (UpdateKind.MEETING, UpdateKind.MEETING.label),
        ],
        widget=widgets.Select,
    )
    party = KeptModelChoiceField(
        label=_("acting party"),
        queryset=Organization.objects.none(),
        required=False,
        widget=widgets.Select,
    )
    text = forms.CharField(label=_("what was done"), widget=widgets.Textarea(attrs={"rows": 3}))
    attendees = forms.CharField(
        label=_("attendees (for a meeting)"),
        required=False,
        widget=widgets.Textarea(attrs={"rows": 2}),
    )
    is_public = forms.BooleanField(
        label=_("may be told to the resident"), required=False, widget=widgets.CheckboxInput
    )

    def __init__(
        self,
        *args,
        case: Case,
        actor: User | None = None,
        parties: list[Organization] | None = None,
        **kwargs,
    ) -> None:
        """With ``actor``, the acting party starts as the first of the case's parties in which
        the actor holds a post, read in the same query as the choices. ``parties``, the case's
        parties in the organisations' order with ``held`` set for the actor, spares that query
        when the page reads them already."""
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["party"].queryset = Organization.objects.filter(case_parties__case=case)
            self.fields["party"].shared_rows = lambda: parties
            if actor is not None and "party" not in self.initial:
                held = (org for org in parties if getattr(org, "held", False))
                self.initial["party"] = next(held, None)
            return
        parties = Organization.objects.filter(case_parties__case=case)
        held = Organization.objects.held_by(actor) if actor is not None else None
        if held is not None and actor.person_id:  # held_by is empty without a person
            parties = parties.annotate(held=Exists(held.filter(pk=OuterRef("pk"))))
        self.fields["party"].queryset = parties
        if actor is not None and "party" not in self.initial:
            rows = self.fields["party"].queryset  # read once: the choices are these rows
            self.initial["party"] = next((org for org in rows if getattr(org, "held", False)), None)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AttachmentKind.choices, widget=widgets.Select)
    file = forms.FileField(
        label=_("photo or PDF"),
        widget=widgets.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,application/pdf"}
        ),
    )


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("satisfaction"), choices=Satisfaction.choices, widget=widgets.RadioSelect
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=widgets.Textarea(attrs={"rows": 2})
    )


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label=_("new due date"),
        widget=widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("reason"), max_length=200, widget=widgets.TextInput)


def merge_stale_edit(data, *, loaded: Case | None, current: Case, fields: list[str]):
    """Merge a form saved against an older version with what is saved now, field by field:
    what this user changed is kept, what they left alone takes the newer saved value. Returns the
    merged data and the fields both sides changed differently (shown to the user as conflicts)."""

    def value(case: Case, name: str) -> str:
        raw = getattr(case, Case._meta.get_field(name).attname)
        return "" if raw is None else str(raw)

    merged = data.copy()
    merged["version"] = str(current.version)
    clashes = []
    for name in fields:
        mine, theirs = data.get(name, ""), value(current, name)
        base = value(loaded, name) if loaded is not None else theirs
        if mine == base:
            merged[name] = theirs
        elif theirs not in (base, mine):
            clashes.append(name)
    return merged, clashes


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


class AreaChoiceForm(forms.Form):
    """The ``?area=`` of a report or an export: the slug of one of ``areas``, or nothing for all
    of them. Anything else is invalid, a NUL byte included, before any query."""

    area = forms.ModelChoiceField(
        queryset=ResidentialArea.objects.none(), to_field_name="slug", required=False
    )

    def __init__(self, *args, areas: QuerySet[ResidentialArea], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
