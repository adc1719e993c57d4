"""Fields and widgets tied to no one subject: the date input that forms of several apps use, and
choice fields whose rows are read once or chosen by id."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _KeptChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the field's rows with a plain query (not ``iterator()``'s server-side cursor) and
    keeps them, however often the choices are read."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.rows()) + (self.field.empty_label is not None)


class _KeptRows:
    """A model choice field whose rows are read once: its queryset's, or ``shared_rows`` when
    a form gives several fields the same rows."""

    iterator = _KeptChoiceIterator
    shared_rows: Callable[[], list] | None = None

    def rows(self) -> list | QuerySet:
        return self.shared_rows() if self.shared_rows is not None else self.queryset


class KeptModelChoiceField(_KeptRows, forms.ModelChoiceField):
    pass


class IdsField(forms.ModelMultipleChoiceField):
    """Records chosen by id, where an id no database integer can hold (99999999999999999999) is
    an invalid choice like any unknown id, instead of an error from the database."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigAutoField")
        for pk in value if isinstance(value, list | tuple) else [value]:
            try:
                in_range = low <= int(str(pk)) <= high
            except (TypeError, ValueError):
                continue  # the parent names it an invalid value
            if not in_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class KeptIdsField(_KeptRows, IdsField):
    pass
