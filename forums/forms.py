from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import (
    MAX_PARTY_SIZE,
    Forum,
    NewsItem,
    Practice,
    Speech,
    SpeechKind,
    Verdict,
    normalise_mobile,
)
from forums.permissions import can_manage_publication, managed_forum_areas
from residents.models import Person, User


class SpeechForm(forms.ModelForm):
    """A speech as drafted by street staff, or by a secretary for their own area."""

    class Meta:
        model = Speech
        fields = [
            "order",
            "kind",
            "area",
            "speaker",
            "speaker_name",
            "speaker_post",
            "title",
            "subtitle",
            "body",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, forum: Forum, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Empty: after the last speech.")
        areas = forum.areas.all()
        if can_manage_publication(user, forum):
            self.fields["area"].queryset = areas
        else:
            self.fields["area"].queryset = areas.filter(pk__in=managed_forum_areas(user, forum))
            self.fields["area"].required = True
            self.fields["area"].empty_label = None
            self.fields["kind"].choices = [(SpeechKind.SPEECH.value, SpeechKind.SPEECH.label)]
        speakers = Person.objects.visible_to(user)
        if self.instance.speaker_id:  # e.g. a street-office speaker on an area's speech
            speakers = speakers | Person.objects.filter(pk=self.instance.speaker_id)
        self.fields["speaker"].queryset = speakers


class SpeechCorrectionForm(forms.ModelForm):
    note = forms.CharField(
        label=_("What was corrected"),
        max_length=300,
        help_text=_("Shown on the public page with the date of the correction."),
    )

    class Meta:
        model = Speech
        fields = ["speaker_name", "speaker_post", "title", "subtitle", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class ForumCorrectionForm(forms.ModelForm):
    note = forms.CharField(
        label=_("What was corrected"),
        max_length=300,
        help_text=_("Shown on the public page with the date of the correction."),
    )

    class Meta:
        model = Forum
        fields = ["title", "theme", "starts_at", "venue", "organiser", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}


class SpeechReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Verdict.CONFIRM.value, _("The text is right: confirm it")),
            (Verdict.REQUEST_CHANGES.value, _("Something should change")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when something should change: say what."),
    )


class PublicationTransitionForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Needed to withdraw: the reason."),
    )


# The admin's forms for records edited there (forum details, practices, news).
PRACTICE_TEXT_FIELDS = ["title", "summary", "problem", "actions", "results"]
NEWS_TEXT_FIELDS = ["title", "source", "dated", "summary", "body"]
FORUM_TEXT_FIELDS = ["title", "theme", "starts_at", "venue", "organiser", "summary"]
CORRECTABLE_FIELDS = {
    Forum: FORUM_TEXT_FIELDS,
    Practice: PRACTICE_TEXT_FIELDS,
    NewsItem: NEWS_TEXT_FIELDS,
}


class BookingForm(forms.Form):
    """A resident's booking: no account, just a name and a mainland mobile number."""

    name = forms.CharField(
        label=_("Name"),
        max_length=40,
        help_text=_("Shown only to the organiser, at the door."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("A mainland mobile number. With the booking code it finds your booking."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    party_size = forms.TypedChoiceField(
        label=_("Number of people"),
        coerce=int,
        choices=[(n, n) for n in range(1, MAX_PARTY_SIZE + 1)],
        initial=1,
        help_text=_("Including yourself."),
    )
    waitlist = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])


class BookingLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=12,
        help_text=_("As on your confirmation, such as K7QM-2XPA."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class BookingCancelForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("The number the booking was made with."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])
