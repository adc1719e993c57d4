from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Organization, Post
from residents.models import Person, ResidentialArea, Street, User


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

    def clean(self) -> dict:
        cleaned = super().clean()
        area = cleaned.get("area")
        if area is not None:
            self.instance.street = area.street
        elif self.user.street_id:
            self.instance.street_id = self.user.street_id
        elif not self.instance.street_id:
            self.add_error("area", _("Choose the residential area this person belongs to."))
        return cleaned


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
