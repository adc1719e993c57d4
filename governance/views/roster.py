"""The staff page that imports organisations and posts from the street's existing rosters, and
the empty template to fill in. A check (dry run) lists each row's problems; an import writes
every row or none. Both run in the background: the upload's own page shows the progress, then
the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance import roster
from governance.exports import FORMATS, export_response
from governance.forms import RosterImportForm
from governance.models import OrganizationKind, PostTitle, RosterImport
from governance.permissions import keeps_records
from governance.services.roster import roster_import_queue


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    """The upload form: a valid upload is queued and its page follows the run."""
    if not keeps_records(request.user):
        raise Http404
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        record = roster_import_queue(
            actor=request.user,
            street=form.chosen_street(),
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            language=get_language() or "",
        )
        messages.info(request, _("Roster “%(name)s” uploaded.") % {"name": record.original_name})
        return redirect(record)
    return render(
        request,
        "governance/roster_import.html",
        {
            "form": form,
            "recent": RosterImport.objects.visible_to(request.user).with_page_data()[:5],
            "columns": roster.COLUMNS,
            "kinds": OrganizationKind.choices,
            "titles": PostTitle.choices,
        },
    )


@login_required
def roster_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An upload's progress while it waits or runs, then its result; refreshed every two seconds
    until it ends."""
    if not keeps_records(request.user):
        raise Http404
    record = get_object_or_404(
        RosterImport.objects.visible_to(request.user).with_page_data(), pk=pk
    )
    problems = [
        (problem, roster.column_label(problem["column"]) if problem["column"] else "")
        for problem in record.problems
    ]
    return render(
        request,
        "governance/roster_import_detail.html",
        {"record": record, "rows_done": record.rows_done(), "problems": problems},
    )


@login_required
def roster_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The roster's header row in the user's language, ready to fill in."""
    if fmt not in FORMATS or not keeps_records(request.user):
        raise Http404
    return export_response(fmt, roster.header(), [], filename="roster-template")
