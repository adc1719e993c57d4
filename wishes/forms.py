"""The forms of the wish pages: recording and editing a wish, and each step after it."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from governance.forms.fields import DateInput
from governance.models import Organization
from residents.models import ResidentialArea, User
from wishes.models import Wish
from wishes.services import EDITABLE_FIELDS


class WishForm(forms.ModelForm):
    """Recording a resident's wish in one of the areas the user manages."""

    class Meta:
        model = Wish
        fields = ["area", *EDITABLE_FIELDS]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "wanted_by": DateInput()}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "area" in self.fields:
            areas = ResidentialArea.objects.managed_by(user)
            self.fields["area"].queryset = areas
            if areas.count() == 1:
                self.fields["area"].initial = areas.first()
        for name in ("resident_name", "resident_phone", "resident_address"):
            self.fields[name].widget.attrs.update(autocomplete="off")
        self.fields["resident_phone"].widget.attrs.update(inputmode="tel")

    def _post_clean(self) -> None:
        # Model validation runs in the service, which sets the street and who recorded it.
        pass


class WishEditForm(WishForm):
    class Meta(WishForm.Meta):
        fields = EDITABLE_FIELDS


class WishClaimForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("partner unit"), queryset=Organization.objects.none(), required=False
    )
    person_name = forms.CharField(
        label=_("or a person's name (kept private)"), max_length=40, required=False
    )
    contact = forms.CharField(
        label=_("claimer's contact phone (kept private)"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    def __init__(self, *args, units: QuerySet[Organization], by_person: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units.order_by("name")
        if not by_person:
            # A liaison claims for one of their own units, never for a person.
            del self.fields["person_name"]
            self.fields["organization"].required = True
            if len(self.fields["organization"].queryset) == 1:
                self.fields["organization"].initial = self.fields["organization"].queryset[0]


class WishFulfilForm(forms.Form):
    note = forms.CharField(
        label=_("how the wish was fulfilled"), widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.ImageField(
        label=_("photo (optional, seen by staff only)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class WishThankForm(forms.Form):
    note = forms.CharField(
        label=_("the resident's thanks (public, without their name)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WishWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawal"), max_length=200)
