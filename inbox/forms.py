from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from inbox.models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notification, and the language of the e-mails."""

    language = forms.ChoiceField(label=_("Language of my e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
            )

    def kind_fields(self) -> list:
        return [self[kind.value] for kind in Kind]
