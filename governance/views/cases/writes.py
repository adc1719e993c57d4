"""The writes on a case: logging and editing it, and the steps its page posts (a transition,
its parties, an update, an attachment, a follow-up, a new due date). Every change goes through
governance.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance import services
from governance.forms import (
    AttachmentForm,
    CaseEditForm,
    CaseForm,
    CasePartiesForm,
    CaseTransitionForm,
    CaseUpdateForm,
    DueDateForm,
    FollowUpForm,
    merge_stale_edit,
)
from governance.models import Case, CaseStatus
from governance.permissions import can_manage_case, keeps_records
from governance.services.cases import EDITABLE_FIELDS, EditConflict
from governance.views.cases.lookup import case_or_404
from governance.views.steps import run_step


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not keeps_records(request.user):
        raise Http404
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "not_a_duplicate"}
        try:
            case = services.case_create(actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(number)s logged.") % {"number": case.number})
            return redirect(case)
    return render(request, "governance/case_form.html", {"form": form})


def _display_value(case: Case, name: str) -> str:
    display = getattr(case, f"get_{name}_display", None)
    value = display() if display else getattr(case, name)
    return "—" if value in (None, "") else str(value)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(request, number)
    if not can_manage_case(request.user, case):
        raise Http404
    form = CaseEditForm(request.POST or None, instance=case)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_edit(
                case=case,
                actor=request.user,
                version=data["version"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                compound=data["compound"],
                building_group=data["building_group"],
                location=data["location"],
                channel=data["channel"],
                priority=data["priority"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                indicator=data["indicator"],
            )
        except EditConflict as error:
            # Neither change is lost: the form comes back with this user's changes merged into
            # what is saved now, the clashing fields marked, to be checked and saved again.
            conflict = Case.objects.get(pk=case.pk)
            loaded = case.history.filter(version=form.cleaned_data["version"]).first()
            data, clashes = merge_stale_edit(
                request.POST, loaded=loaded, current=conflict, fields=EDITABLE_FIELDS
            )
            form = CaseEditForm(data, instance=conflict)
            form.is_valid()
            form.add_error(None, error)
            for name in clashes:
                form.add_error(
                    name,
                    ValidationError(
                        _("Changed by someone else too; now saved: %(value)s"),
                        code="edit_conflict_field",
                        params={"value": _display_value(conflict, name)},
                    ),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case saved."))
            return redirect(case)
    return render(
        request, "governance/case_edit.html", {"form": form, "case": case, "conflict": conflict}
    )


@login_required
@require_POST
def case_transition(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(request, number)

    def act(data: dict) -> str:
        duplicate_of = None
        if data["duplicate_of"]:
            duplicate_of = (
                Case.objects.visible_to(request.user)
                .filter(number=data["duplicate_of"].strip())
                .first()
            )
        moved = services.case_transition(
            case=case,
            to=data["to"],
            actor=request.user,
            note=data["note"],
            closure_reason=data["closure_reason"],
            duplicate_of=duplicate_of,
        )
        return _("The case is now %(status)s.") % {"status": CaseStatus(moved.status).label}

    return run_step(request, case, CaseTransitionForm(request.POST), act)


@login_required
@require_POST
def case_parties(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_set_parties(
            case=case, actor=request.user, lead=data["lead"], assisting=list(data["assisting"])
        )
        return _("Parties saved.")

    return run_step(request, case, CasePartiesForm(request.POST, case=case), act)


@login_required
@require_POST
def case_update(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_add_update(case=case, actor=request.user, **data)
        return _("Update added.")

    return run_step(request, case, CaseUpdateForm(request.POST, case=case), act)


@login_required
@require_POST
def case_attachment_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_attach(case=case, actor=request.user, upload=data["file"], kind=data["kind"])
        return _("File attached.")

    return run_step(request, case, AttachmentForm(request.POST, request.FILES), act)


@login_required
@require_POST
def case_follow_up(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_follow_up(case=case, actor=request.user, **data)
        return _("Follow-up recorded.")

    return run_step(request, case, FollowUpForm(request.POST), act)


@login_required
@require_POST
def case_due_date(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_change_due_date(case=case, actor=request.user, **data)
        return _("Due date changed.")

    return run_step(request, case, DueDateForm(request.POST), act)
