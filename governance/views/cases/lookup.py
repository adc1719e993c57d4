"""The case a URL names, fetched within the user's scope: out of scope is a 404, as a case that
does not exist."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from governance.models import Case
from governance.permissions import case_scope

# What a case's page and its steps read with the case, in its query.
CASE_RELATED = (
    "area__street",
    "category",
    "compound",
    "building_group",
    "indicator",
    "logged_by",
)


def case_or_404(request: HttpRequest, number: str) -> Case:
    return get_object_or_404(
        case_scope(request).cases().select_related(*CASE_RELATED, "duplicate_of"), number=number
    )
