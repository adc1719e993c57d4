"""Forms of the 1+3+N structure: people and the posts they hold in organisations."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.forms.fields import DateInput
from governance.models import Organization, Post
from residents.models import Person, ResidentialArea, Street, User


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
