"""How every form of the portal words its fields (GOV.UK design system).

FORM_RENDERER names ``PortalFormRenderer``, whose bound field words each field once, when a
form first reads it: so the rules hold for our forms, django-filter's and Django's own without a
mixin on each class. A message or empty choice that a form words itself is left as it is.
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Django's empty choice, in forms and in django-filter's fields alike.
DASHES = "---------"
# The required message Django gives every field that names no message of its own.
_DJANGO_REQUIRED = forms.Field.default_error_messages["required"]

# What a person must do to fill each kind of input; "%(label)s" is the field's label.
_ENTER = _("Enter the %(label)s")
_CHOOSE = _("Choose the %(label)s")
_CHOOSE_SOME = _("Choose at least one %(label)s")
_TICK = _("Tick “%(label)s”")
_UPLOAD = _("Choose the %(label)s to upload")

CHOOSE = _("Choose…")  # the empty choice of a select in a form: nothing is chosen yet
ALL = _("All")  # the empty choice of a filter: nothing is left out


def _worded(template: str, label: str) -> str:
    label = str(label)
    if label[:1].isupper() and label[1:2].islower():  # "Title", not "SMS code" or "I agree"
        label = label[:1].lower() + label[1:]
    return gettext(template) % {"label": label}


worded = lazy(_worded, str)


def required_template(widget: forms.Widget) -> str:
    """The required message that says what to do with this kind of input."""
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
        return _CHOOSE_SOME
    if isinstance(widget, forms.CheckboxInput):
        return _TICK
    if isinstance(widget, forms.Select | forms.RadioSelect):
        return _CHOOSE
    if isinstance(widget, forms.FileInput):
        return _UPLOAD
    return _ENTER


def _is_filter_field(field: forms.Field) -> bool:
    # django-filter's own fields: their empty choice means "do not filter on this".
    return type(field).__module__.startswith("django_filters.")


class PortalBoundField(forms.BoundField):
    """A bound field whose required message names the field, whose empty choice is worded and
    whose label has no colon after it (Django's ":" stays half-width in Chinese)."""

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        # form.fields are the form's own deep copies: changing them touches no other form.
        if field.error_messages.get("required") is _DJANGO_REQUIRED:
            field.error_messages["required"] = worded(required_template(field.widget), self.label)
        self._word_empty_choice(field)

    @staticmethod
    def _word_empty_choice(field: forms.Field) -> None:
        empty = ALL if _is_filter_field(field) else CHOOSE
        if hasattr(field, "empty_label"):  # model choices, django-filter's choices
            if field.empty_label == DASHES:
                field.empty_label = empty
                # A copied choice field's widget may still list the original field's choices.
                field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field._choices, CallableChoiceIterator
        ):
            choices = list(field.choices)
            if any(value == "" and label == DASHES for value, label in choices):
                field.choices = [
                    (value, empty if value == "" and label == DASHES else label)
                    for value, label in choices
                ]

    def label_tag(self, contents=None, attrs=None, label_suffix=None):
        return super().label_tag(contents, attrs, "" if label_suffix is None else label_suffix)


class PortalFormRenderer(TemplatesSetting):
    """Django's renderer of the project's templates, with the portal's bound field."""

    bound_field_class = PortalBoundField
