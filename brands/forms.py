"""The forms of a brand's page: recording an activity, and choosing the activities shown."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, BrandAction, BrandActivity
from governance.forms.fields import DateInput


class BrandActivityForm(forms.ModelForm):
    class Meta:
        model = BrandActivity
        fields = ["date", "action", "title", "text", "photo", "photo_alt"]
        widgets = {
            "date": DateInput(),
            "text": forms.Textarea(attrs={"rows": 4}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, brand: Brand, **kwargs) -> None:
        kwargs.setdefault("instance", BrandActivity(brand=brand))
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # The brand page has its actions already: no query for the choice list.
        self.fields["action"].queryset = BrandAction.objects.filter(brand=brand)
        self.fields["action"].choices = [
            ("", _("No particular action")),
            *((action.pk, action.name) for action in brand.actions.all()),
        ]


class BrandActivityFilterForm(forms.Form):
    action = forms.TypedChoiceField(label=_("action"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, brand: Brand, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            ("", _("All actions")),
            *((action.order, action.name) for action in brand.actions.all()),
        ]
