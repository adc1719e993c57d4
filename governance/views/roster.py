"""The staff page that imports organisations and posts from the street's existing rosters, and
the empty template to fill in. A check (dry run) lists each row's problems; an import writes
every row or none."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance import roster
from governance.exports import FORMATS, export_response
from governance.forms import RosterImportForm
from governance.models import OrganizationKind, PostTitle
from governance.services.roster import roster_import as import_rows
from residents.models import ResidentialArea, Street


def _may_import(request: HttpRequest) -> bool:
    user = request.user
    return (
        ResidentialArea.objects.managed_by(user).exists()
        or Street.objects.managed_by(user).exists()
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    if not _may_import(request):
        raise Http404
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = roster.read_roster(upload, upload.name)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            result = import_rows(
                actor=request.user,
                street=form.chosen_street(),
                rows=rows,
                dry_run=form.cleaned_data["dry_run"],
            )
            if result.written:
                messages.success(
                    request,
                    _(
                        "Roster imported: %(organizations)s organisations, %(people)s people "
                        "and %(posts)s posts added."
                    )
                    % {
                        "organizations": result.organizations_created,
                        "people": result.people_created,
                        "posts": result.posts_created,
                    },
                )
                return redirect("governance:roster_import")
    problems = [
        (problem, roster.column_label(problem.column) if problem.column else "")
        for problem in (result.problems if result else [])
    ]
    return render(
        request,
        "governance/roster_import.html",
        {
            "form": form,
            "result": result,
            "problems": problems,
            "columns": roster.COLUMNS,
            "kinds": OrganizationKind.choices,
            "titles": PostTitle.choices,
        },
    )


@login_required
def roster_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The roster's header row in the user's language, ready to fill in."""
    if fmt not in FORMATS or not _may_import(request):
        raise Http404
    return export_response(fmt, roster.header(), [], filename="roster-template")
