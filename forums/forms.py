from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, NewsItem, Practice, Speech, SpeechKind, Verdict
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
