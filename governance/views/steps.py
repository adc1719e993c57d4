"""One step on a record from a posted form, shared by the staff pages of cases and wishes."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def run_step(
    request: HttpRequest,
    record: Model,
    form,
    act: Callable[[dict], str],
    *,
    back: str | Callable[[], str] = "",
) -> HttpResponse:
    """Run the step and go back to the record's page (or `back`, which may be worked out after
    the step). A bad form or a rule the service refuses comes back as messages; a right the user
    lacks is a 404."""
    if form.is_valid():
        try:
            messages.success(request, act(form.cleaned_data))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                if label:
                    error = _("%(label)s: %(error)s") % {"label": label, "error": error}
                messages.error(request, error)
    if callable(back):
        back = back()
    return redirect(back or record)
