from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class CaseForm(forms.ModelForm):
    """Logging a case; the area's choices, compounds and indicators are those the user manages."""

    not_a_duplicate = forms.BooleanField(
        label=_("This is a new problem, not one of the cases above"), required=False
    )

    class Meta:
        model = Case
        fields = [
            "area",
            "category",
            "title",
            "description",
            "compound",
            "building_group",
            "location",
            "channel",
            "priority",
            "reporter_name",
            "reporter_phone",
            "indicator",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = ResidentialArea.objects.managed_by(user)
        self.fields["area"].queryset = areas
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["compound"].queryset = Compound.objects.filter(area__in=areas)
        self.fields["building_group"].queryset = BuildingGroup.objects.filter(
            compound__area__in=areas
        ).select_related("compound")
        self.fields["indicator"].queryset = Indicator.objects.managed_by(user)
        self.fields["reporter_phone"].widget.attrs.update(autocomplete="off", inputmode="tel")
        if areas.count() == 1:
            self.fields["area"].initial = areas.first()
        self.duplicates = Case.objects.none()

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors or self.instance.pk:
            return cleaned
        self.duplicates = Case.objects.possible_duplicates(
            category=cleaned["category"], compound=cleaned.get("compound"), area=cleaned["area"]
        ).select_related("area")[:5]
        if self.duplicates and not cleaned.get("not_a_duplicate"):
            raise ValidationError(
                _("Possible duplicates were found: check them, then confirm this is new."),
                code="possible_duplicate",
            )
        return cleaned

    def _post_clean(self) -> None:
        # Model validation runs in the service, where street, number and due date are set.
        pass


class CaseEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = [
            "title",
            "description",
            "category",
            "compound",
            "building_group",
            "location",
            "channel",
            "priority",
            "reporter_name",
            "reporter_phone",
            "indicator",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance
        self.fields["version"].initial = case.version
        self.fields["compound"].queryset = Compound.objects.filter(area_id=case.area_id)
        self.fields["building_group"].queryset = BuildingGroup.objects.filter(
            compound__area_id=case.area_id
        ).select_related("compound")
        self.fields["indicator"].queryset = Indicator.objects.filter(area_id=case.area_id)
        self.fields["category"].queryset = Category.objects.filter(
            is_active=True
        ) | Category.objects.filter(pk=case.category_id)

    def _post_clean(self) -> None:
        pass


class CaseTransitionForm(forms.Form):
    to = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    closure_reason = forms.ChoiceField(
        label=_("closure reason"),
        choices=[("", "---------"), *ClosureReason.choices],
        required=False,
    )
    duplicate_of = forms.CharField(
        label=_("number of the original case"), required=False, max_length=20
    )


class CasePartiesForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("lead party"), queryset=Organization.objects.none(), required=False
    )
    assisting = forms.ModelMultipleChoiceField(
        label=_("assisting parties"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = Organization.objects.available_to(case.area).order_by("kind", "name")
        self.fields["lead"].queryset = choices
        self.fields["assisting"].queryset = choices


class CaseUpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (UpdateKind.NOTE, UpdateKind.NOTE.label),
            (UpdateKind.MEETING, UpdateKind.MEETING.label),
        ],
    )
    party = forms.ModelChoiceField(
        label=_("acting party"), queryset=Organization.objects.none(), required=False
    )
    text = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    attendees = forms.CharField(
        label=_("attendees (for a meeting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_public = forms.BooleanField(label=_("may be told to the resident"), required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Organization.objects.filter(case_parties__case=case)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("photo or PDF"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,application/pdf"}
        ),
    )


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DueDateForm(forms.Form):
    due_date = forms.DateField(label=_("new due date"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), max_length=200)


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
