"""Party-building brands: public pages, and the area staff's activity record on a brand's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brands import services
from brands.filters import BrandFilter
from brands.forms import BrandActivityFilterForm, BrandActivityForm
from brands.models import Brand, BrandActivity
from brands.permissions import can_manage_brand
from caching.pages import cache_public_page
from lujiazui.public import PUBLIC_CONTENT

BRANDS_PER_PAGE = 50
ACTIVITIES_PER_PAGE = 10


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("page", *BrandFilter.base_filters))
def brand_list(request: HttpRequest) -> HttpResponse:
    brands = Brand.objects.visible_to(request.user).with_list_data().order_by("area", "name")
    brand_filter = BrandFilter(request.GET, queryset=brands, request=request)
    page = Paginator(brand_filter.qs, BRANDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "brands/brand_list.html",
        {"filter": brand_filter, "page_obj": page},
    )


def _brand_page(
    request: HttpRequest, brand: Brand, form: BrandActivityForm | None = None, status: int = 200
) -> HttpResponse:
    can_manage = can_manage_brand(request.user, brand)
    # Its own ids: the activity form on the same page has an "action" field too.
    filter_form = BrandActivityFilterForm(request.GET, brand=brand, auto_id="filter_%s")
    activities = brand.activities.select_related("action").newest_first()
    selected = None
    if filter_form.is_valid() and filter_form.cleaned_data["action"] is not None:
        order = filter_form.cleaned_data["action"]
        selected = next((a for a in brand.actions.all() if a.order == order), None)
        activities = activities.filter(action=selected)
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    if can_manage and form is None:
        form = BrandActivityForm(brand=brand)
    return render(
        request,
        "brands/brand_detail.html",
        {
            "brand": brand,
            "filter_form": filter_form,
            "selected_action": selected,
            "page_obj": page,
            "can_manage": can_manage,
            "form": form if can_manage else None,
        },
        status=status,
    )


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("page", "action"))
def brand_detail(request: HttpRequest, slug: str) -> HttpResponse:
    brand = get_object_or_404(Brand.objects.visible_to(request.user).with_page_data(), slug=slug)
    return _brand_page(request, brand)


@login_required
@require_POST
def brand_activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    brand = get_object_or_404(Brand.objects.managed_by(request.user).with_page_data(), slug=slug)
    form = BrandActivityForm(request.POST, request.FILES, brand=brand)
    if form.is_valid():
        try:
            activity = services.brand_activity_record(
                brand=brand, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request, _("Activity “%(title)s” recorded.") % {"title": activity.title}
            )
            return redirect(brand)
    return _brand_page(request, brand, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def brand_activity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        BrandActivity.objects.managed_by(request.user).select_related("brand", "action"),
        brand__slug=slug,
        pk=pk,
    )
    if request.method == "POST":
        try:
            services.brand_activity_delete(activity=activity, actor=request.user)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("Activity “%(title)s” removed.") % {"title": activity.title})
        return redirect(activity.brand)
    return render(request, "brands/brand_activity_confirm_delete.html", {"activity": activity})


def brand_activity_photo(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    activity = get_object_or_404(
        BrandActivity.objects.visible_to(request.user).select_related("brand"),
        brand__slug=slug,
        pk=pk,
    )
    if not activity.photo:
        raise Http404
    response = FileResponse(activity.photo.open("rb"))
    # Revalidated on every view, so that the photo of a brand taken offline leaves caches too.
    response["Cache-Control"] = (
        "public, no-cache" if activity.brand.is_public else "private, no-store"
    )
    return response
