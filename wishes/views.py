"""The micro-wish wall for everyone, and the staff pages that take a wish from record to thanks.

The wall and a wish's public page read only public wishes and never a private field; the staff
pages fetch through ``Wish.objects.visible_to(user)`` and every change goes through the services.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caching.pages import cache_public_page
from governance.exports import FORMATS, export_response
from governance.views.steps import run_step
from lujiazui.public import PUBLIC_CONTENT
from residents.models import ResidentialArea
from wishes import services
from wishes.export_tables import wish_header, wish_rows
from wishes.filters import WishFilter, WishManageFilter
from wishes.forms import (
    WishClaimForm,
    WishEditForm,
    WishForm,
    WishFulfilForm,
    WishThankForm,
    WishWithdrawForm,
)
from wishes.models import Wish, WishStatus, fulfilled_per_partner_unit
from wishes.permissions import WishRights, wish_claim_units, wish_rights

PAGE_SIZE = 24
TOP_UNITS = 10


def _filtered(request: HttpRequest) -> bool:
    """Whether a filter is set (its box then opens), other than the page number."""
    return any(key != "page" and value for key, value in request.GET.items())


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("page", *WishFilter.base_filters))
def wish_wall(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The public wall of the street's wishes, or of one area's."""
    area = None
    wishes = Wish.objects.public().with_wall_data()
    if slug is not None:
        area = get_object_or_404(
            ResidentialArea.objects.visible_to(request.user).select_related("street"), slug=slug
        )
        wishes = wishes.in_area(area)
    wish_filter = WishFilter(request.GET, queryset=wishes, request=request, area=area)
    page = Paginator(wish_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wishes/wish_wall.html",
        {
            "area": area,
            "filter": wish_filter,
            "page_obj": page,
            "filtered": _filtered(request),
            "units": fulfilled_per_partner_unit(area.street if area else None, area)[:TOP_UNITS],
        },
    )


@cache_public_page(depends_on=PUBLIC_CONTENT)
def wish_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A public wish: what the wall shows, the steps' dates and the resident's thanks."""
    wish = get_object_or_404(Wish.objects.public().with_wall_data(), pk=pk)
    staff = request.user.is_authenticated and _may_work_on(wish_rights(request.user, wish))
    return render(request, "wishes/wish_detail.html", {"wish": wish, "staff": staff})


def _may_work_on(rights: WishRights) -> bool:
    return rights.manage or rights.claim or rights.fulfil


def _wish_or_404(request: HttpRequest, pk: int) -> tuple[Wish, WishRights]:
    """A wish the user may work on, with their rights; anything else is a 404."""
    wish = get_object_or_404(Wish.objects.visible_to(request.user).with_manage_data(), pk=pk)
    rights = wish_rights(request.user, wish)
    if not _may_work_on(rights):
        raise Http404
    return wish, rights


@login_required
def wish_manage_list(request: HttpRequest) -> HttpResponse:
    """Every wish of the areas the user manages, in every state, with the private fields."""
    if not ResidentialArea.objects.managed_by(request.user).exists():
        return redirect("wishes:wish_claim_list")
    wishes = Wish.objects.managed_by(request.user).with_manage_data()
    wish_filter = WishManageFilter(request.GET, queryset=wishes, request=request)
    page = Paginator(wish_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wishes/wish_manage_list.html",
        {"filter": wish_filter, "page_obj": page, "filtered": _filtered(request)},
    )


@login_required
def wish_claim_list(request: HttpRequest) -> HttpResponse:
    """A liaison's page: the wishes their units may claim, and those they have claimed."""
    claimable = Wish.objects.claimable_by(request.user).with_wall_data()
    page = Paginator(claimable, PAGE_SIZE).get_page(request.GET.get("page"))
    claimed = (
        Wish.objects.claimed_by_units_of(request.user)
        .with_wall_data()
        .order_by("status", "-claimed_at", "-pk")
    )
    return render(
        request,
        "wishes/wish_claim_list.html",
        {"page_obj": page, "claimed": claimed},
    )


@login_required
@require_http_methods(["GET", "POST"])
def wish_create(request: HttpRequest) -> HttpResponse:
    if not ResidentialArea.objects.managed_by(request.user).exists():
        raise Http404
    form = WishForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            wish = services.wish_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Wish recorded. Publish it to show it on the wall."))
            return redirect(wish.get_manage_url())
    return render(request, "wishes/wish_form.html", {"form": form, "wish": None})


@login_required
@require_http_methods(["GET", "POST"])
def wish_edit(request: HttpRequest, pk: int) -> HttpResponse:
    wish, rights = _wish_or_404(request, pk)
    if not rights.manage:
        raise Http404
    form = WishEditForm(request.POST or None, instance=wish, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            wish = services.wish_edit(
                wish=wish,
                actor=request.user,
                category=data["category"],
                title=data["title"],
                text=data["text"],
                wanted_by=data["wanted_by"],
                resident_name=data["resident_name"],
                resident_phone=data["resident_phone"],
                resident_address=data["resident_address"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Wish saved."))
            return redirect(wish.get_manage_url())
    return render(request, "wishes/wish_form.html", {"form": form, "wish": wish})


@login_required
def wish_manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A wish's staff page: its private fields for those who may see them, and the next steps."""
    wish, rights = _wish_or_404(request, pk)
    status = wish.status
    claim_form = None
    if rights.claim and status == WishStatus.PUBLISHED:
        claim_form = WishClaimForm(
            units=wish_claim_units(request.user, wish), by_person=rights.manage
        )
    return render(
        request,
        "wishes/wish_manage_detail.html",
        {
            "wish": wish,
            "rights": rights,
            "sees_claimer": rights.manage or rights.fulfil,
            "can_publish": rights.manage and wish.may_become(WishStatus.PUBLISHED),
            "can_withdraw": rights.manage and wish.may_become(WishStatus.WITHDRAWN),
            "claim_form": claim_form,
            "fulfil_form": (
                WishFulfilForm() if rights.fulfil and status == WishStatus.CLAIMED else None
            ),
            "thank_form": (
                WishThankForm() if rights.manage and status == WishStatus.FULFILLED else None
            ),
        },
    )


@login_required
@require_POST
def wish_publish(request: HttpRequest, pk: int) -> HttpResponse:
    wish, _rights = _wish_or_404(request, pk)

    def act(data: dict) -> str:
        services.wish_publish(wish=wish, actor=request.user)
        return _("The wish is on the wall now.")

    return run_step(request, wish, forms.Form(request.POST), act, back=wish.get_manage_url())


@login_required
@require_POST
def wish_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner unit's people may claim a wish they see, even one claimed a moment before by
    someone else: they are told it is already claimed (not a 404) and sent to a page they may
    still see, its public page once the wish is no longer theirs to work on."""
    wish = get_object_or_404(Wish.objects.visible_to(request.user).with_manage_data(), pk=pk)
    rights = wish_rights(request.user, wish)
    units = wish_claim_units(request.user, wish)
    if not (_may_work_on(rights) or units.exists()):
        raise Http404
    form = WishClaimForm(request.POST, units=units, by_person=rights.manage)

    def act(data: dict) -> str:
        services.wish_claim(
            wish=wish,
            actor=request.user,
            organization=data["organization"],
            person_name=data.get("person_name", ""),
            contact=data["contact"],
        )
        return _("Wish claimed. Thank you!")

    def back() -> str:
        wish.refresh_from_db()
        if _may_work_on(wish_rights(request.user, wish)):
            return wish.get_manage_url()
        return wish.get_absolute_url()

    return run_step(request, wish, form, act, back=back)


@login_required
@require_POST
def wish_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    wish, _rights = _wish_or_404(request, pk)

    def act(data: dict) -> str:
        services.wish_fulfil(wish=wish, actor=request.user, note=data["note"], photo=data["photo"])
        return _("The wish is marked as fulfilled.")

    return run_step(
        request, wish, WishFulfilForm(request.POST, request.FILES), act, back=wish.get_manage_url()
    )


@login_required
@require_POST
def wish_thank(request: HttpRequest, pk: int) -> HttpResponse:
    wish, _rights = _wish_or_404(request, pk)

    def act(data: dict) -> str:
        services.wish_thank(wish=wish, actor=request.user, note=data["note"])
        return _("The resident's thanks are published.")

    return run_step(request, wish, WishThankForm(request.POST), act, back=wish.get_manage_url())


@login_required
@require_http_methods(["GET", "POST"])
def wish_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawing takes a wish off the wall: a page of its own asks to confirm, with a reason."""
    wish, rights = _wish_or_404(request, pk)
    if not rights.manage:
        raise Http404
    form = WishWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.wish_withdraw(
                wish=wish, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The wish is withdrawn."))
            return redirect(wish.get_manage_url())
    return render(request, "wishes/wish_confirm_withdraw.html", {"form": form, "wish": wish})


@login_required
def wish_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The fulfilment photo, only for those who manage the wish or whose unit fulfilled it."""
    wish, rights = _wish_or_404(request, pk)
    if not (rights.manage or rights.fulfil) or not wish.fulfilment_photo:
        raise Http404
    response = FileResponse(
        wish.fulfilment_photo.open("rb"),
        filename=f"wish-{wish.pk}.{wish.fulfilment_photo.name.rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def wish_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The staff list of wishes under its filters, with the residents' private details: only
    for the people who manage them."""
    if fmt not in FORMATS or not ResidentialArea.objects.managed_by(request.user).exists():
        raise Http404
    wish_filter = WishManageFilter(
        request.GET, queryset=Wish.objects.managed_by(request.user), request=request
    )
    return export_response(
        fmt,
        wish_header(),
        wish_rows(wish_filter.qs),
        filename=f"wishes-{timezone.localdate().isoformat()}",
    )
