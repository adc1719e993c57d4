"""Forms of cases: logging and editing one, its status, parties, updates, attachments,
follow-up and due date."""

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from governance import widgets
from governance.forms.fields import KeptIdsField, KeptModelChoiceField
from governance.models import (
    AttachmentKind,
    Case,
    CaseStatus,
    Category,
    ClosureReason,
    Indicator,
    Organization,
    Satisfaction,
    UpdateKind,
)
from governance.services.cases import EDITABLE_FIELDS
from residents.models import BuildingGroup, Compound, ResidentialArea, User


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
