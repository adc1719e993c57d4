"""Staff downloads of the lists as CSV or XLSX: the filtered case workbench and the organisations
with their posts. Each file holds what the user's page shows them, filtered as the page is, and
nothing more."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from governance.export_tables import (
    case_header,
    case_rows,
    organization_header,
    organization_rows,
)
from governance.exports import FORMATS, export_response
from governance.filters import CaseFilter
from governance.forms import AreaChoiceForm
from governance.models import Case, Organization
from residents.models import ResidentialArea


def _format_or_404(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _filename(name: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}"


@login_required
def case_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The workbench's cases under the filters in force, in its order."""
    fmt = _format_or_404(fmt)
    cases = CaseFilter(
        request.GET, queryset=Case.objects.visible_to(request.user), request=request
    ).qs
    return export_response(fmt, case_header(), case_rows(cases), filename=_filename("cases"))


@login_required
def organization_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The organisations of the areas the user manages (or one of them), with who holds which
    post; street staff also get the street's own partner units."""
    fmt = _format_or_404(fmt)
    organizations = Organization.objects.managed_by(request.user)
    if not organizations.exists():
        raise Http404
    form = AreaChoiceForm(request.GET, areas=ResidentialArea.objects.managed_by(request.user))
    if not form.is_valid():
        raise Http404  # an area beyond the user's is answered as one that does not exist
    if area := form.cleaned_data["area"]:
        organizations = organizations.filter(area=area)
    return export_response(
        fmt,
        organization_header(),
        organization_rows(organizations),
        filename=_filename("organisations"),
    )
