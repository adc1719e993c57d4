"""Widgets that write their markup in Python instead of through Django's widget templates.

A long select (the workbench's 254 filter choices) spent most of its time in the template
engine: one loop step, one attribute loop and an escape per option. These write the very markup
of ``templates/django/forms/widgets/select.html`` and Django's ``input.html`` (the tests compare
the two, option by option), and fall back to the templates for anything they do not know: a
grouped choice, another option template, a label that is no text. Use them as
``widgets.Select``: the names are Django's own.
"""

import html

from django import forms
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_INPUT_TEMPLATES = {
    "django/forms/widgets/text.html",
    "django/forms/widgets/date.html",
    "django/forms/widgets/checkbox.html",
    "django/forms/widgets/clearable_file_input.html",  # unless it shows a file already
}
_MULTIPLE_TEMPLATES = {
    ("django/forms/widgets/checkbox_select.html", "django/forms/widgets/checkbox_option.html"),
    ("django/forms/widgets/radio.html", "django/forms/widgets/radio_option.html"),
}


def conditional_escape(value) -> str:
    """Django's ``conditional_escape`` without its check for lazy arguments, which cost more
    than the escaping for the hundreds of short texts of a long select: markup that is safe
    already stays as it is, anything else is escaped as Django's ``escape`` does."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped."""
    return conditional_escape("%s" % (value,))  # noqa: UP031  (the filter's own formatting)


def attrs_html(attrs: dict) -> str:
    """Django's ``attrs.html``: `` name="value"`` per attribute, a bare name for True, nothing
    for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """A select written in Python: the project's select template, without its template."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if self.template_name != _SELECT_TEMPLATE or self.option_template_name != _OPTION_TEMPLATE:
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        options = []
        has_selected = False
        escape = html.escape
        for option_value, label in self.choices:
            if isinstance(label, list | tuple) or not isinstance(label, str | Promise):
                return super().render(name, value, attrs, renderer)  # a group, or no text
            if option_value is None:
                option_value = ""
            # The common cases escaped directly: an id's digits need no escaping, plain text
            # (not marked safe) is escaped as conditional_escape would.
            option_text = str(option_value) if type(option_value) is int else None
            selected = not has_selected and (option_text or str(option_value)) in values
            has_selected |= selected
            value_html = option_text if option_text is not None else _text(option_value)
            label_html = escape(label) if type(label) is str else conditional_escape(label)
            options.append(
                f'\n  <option value="{value_html}"{" selected" if selected else ""}>'
                f"{label_html}</option>\n"
            )
        final_attrs = attrs_html(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308  (every part is escaped above)
            f'<select name="{conditional_escape(name)}"{final_attrs}>{"".join(options)}\n</select>'
        )


class _DirectInput:
    """Django's ``input.html`` written in Python (text, date and checkbox inputs)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if self.template_name not in _INPUT_TEMPLATES:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
        return mark_safe(  # noqa: S308  (every part is escaped)
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{shown}{attrs_html(widget["attrs"])}>'
        )


class _DirectMultipleInput:
    """Django's ``multiple_input.html`` (checkboxes, radio buttons), ungrouped choices only."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if (self.template_name, self.option_template_name) not in _MULTIPLE_TEMPLATES:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group, group_options, _index in widget["optgroups"]:
            if group is not None:
                return super().render(name, value, attrs, renderer)
            for option in group_options:
                if not isinstance(option["label"], str | Promise):
                    return super().render(name, value, attrs, renderer)
                option_id = option["attrs"].get("id")
                label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
                options.append(
                    f"<div>\n    <label{label_for}>"
                    f'<input type="{conditional_escape(option["type"])}" '
                    f'name="{conditional_escape(option["name"])}" value="{_text(option["value"])}"'
                    f"{attrs_html(option['attrs'])}>\n {conditional_escape(option['label'])}"
                    "</label>\n\n</div>"
                )
        widget_id = widget["attrs"].get("id")
        css = widget["attrs"].get("class")
        id_html = f' id="{conditional_escape(widget_id)}"' if widget_id else ""
        class_html = f' class="{conditional_escape(css)}"' if css else ""
        return mark_safe(  # noqa: S308  (every part is escaped)
            f"<div{id_html}{class_html}>{''.join(options)}\n</div>"
        )


class _DirectTextarea:
    """Django's ``textarea.html``."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if self.template_name != "django/forms/widgets/textarea.html":
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        text = conditional_escape(widget["value"]) if widget["value"] else ""
        return mark_safe(  # noqa: S308  (every part is escaped)
            f'<textarea name="{conditional_escape(widget["name"])}"'
            f"{attrs_html(widget['attrs'])}>\n{text}</textarea>"
        )


# Named as Django's own: a bound field's ``widget_type`` (which form_fields.html reads to lay a
# checkbox out) comes from the class name.
class TextInput(_DirectInput, forms.TextInput):
    pass


class DateInput(_DirectInput, forms.DateInput):
    pass


class CheckboxInput(_DirectInput, forms.CheckboxInput):
    pass


class ClearableFileInput(_DirectInput, forms.ClearableFileInput):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if self.is_initial(value):  # shows the file it holds: Django's template
            return forms.ClearableFileInput.render(self, name, value, attrs, renderer)
        return super().render(name, value, attrs, renderer)


class Textarea(_DirectTextarea, forms.Textarea):
    pass


class CheckboxSelectMultiple(_DirectMultipleInput, forms.CheckboxSelectMultiple):
    pass


class RadioSelect(_DirectMultipleInput, forms.RadioSelect):
    pass


def _hint(field) -> str:
    """The ``hint_and_error`` partial of form_fields.html for a field without errors."""
    help_html = ""
    if field.help_text:
        help_html = (
            f'<p class="field__help" id="{_text(field.auto_id)}_helptext">'
            f"{conditional_escape(field.help_text)}</p>"
        )
    return f"\n        {help_html}\n        \n"


def _label(field, filters: bool) -> str:
    """The ``label`` partial of form_fields.html: a field one may leave empty says so."""
    if field.field.required or filters:
        return conditional_escape(field.label)
    return gettext("%(label)s (optional)") % {"label": conditional_escape(field.label)}


def form_fields(form, *, filters: bool = False) -> SafeString:
    """A form's fields as ``templates/includes/form_fields.html`` lays them out, written in
    Python (the tests compare the two). A form with errors goes through the template, which
    opens with the error summary."""
    if form.errors:
        return render_to_string("includes/form_fields.html", {"form": form, "filters": filters})
    parts = ["\n\n\n\n", *(str(field) for field in form.hidden_fields()), "\n"]
    for field in form.visible_fields():
        parts.append('\n  <div class="field">\n    ')
        if field.use_fieldset:
            described = field.aria_describedby
            described_html = f' aria-describedby="{_text(described)}"' if described else ""
            parts.append(
                f"\n      <fieldset{described_html}>\n        <legend>{_label(field, filters)}"
                f"</legend>\n        {_hint(field)}\n        {field}\n      </fieldset>\n    "
            )
        elif field.widget_type == "checkbox":
            parts.append(
                f'\n      {_hint(field)}\n      <div class="field__check">{field} '
                f'<label for="{_text(field.id_for_label)}">{conditional_escape(field.label)}'
                "</label></div>\n    "
            )
        else:
            parts.append(
                f'\n      <label for="{_text(field.id_for_label)}">{_label(field, filters)}'
                f"</label>\n      {_hint(field)}\n      {field}\n    "
            )
        parts.append("\n  </div>\n")
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308  (every part is escaped or a widget's markup)
