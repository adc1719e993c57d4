from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.trail import trail
from caching.pages import cache_public_page
from governance import services
from governance.filters import PersonFilter
from governance.forms import PersonForm, PostEndForm, PostForm
from governance.models import Agreement, Indicator, Organization, Post
from governance.permissions import can_manage_area, can_manage_organization, keeps_records
from governance.structure import area_structure, areas_with_figures
from lujiazui.public import PUBLIC_CONTENT
from residents.models import BuildingGroup, Person, ResidentialArea

PAGE_SIZE = 25


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("page",))
def area_list(request: HttpRequest) -> HttpResponse:
    areas = (
        ResidentialArea.objects.visible_to(request.user)
        .select_related("street")
        .with_compound_count()
        .order_by("street", "pk")  # a grouped query keeps no default order
    )
    page = Paginator(areas, 50).get_page(request.GET.get("page"))
    # The figures of the page's areas, from grouped queries (see areas_with_figures).
    page.object_list = areas_with_figures(page.object_list, timezone.localdate())
    return render(request, "governance/area_list.html", {"page_obj": page})


@cache_public_page(depends_on=PUBLIC_CONTENT)
def area_detail(request: HttpRequest, slug: str) -> HttpResponse:
    area = get_object_or_404(
        ResidentialArea.objects.visible_to(request.user).select_related("street"), slug=slug
    )
    return render(
        request,
        "governance/area_detail.html",
        {
            "area": area,
            "structure": area_structure(area),
            # Ordered by name alone: the models' default orders join the street for one area.
            "compounds": area.compounds.order_by("name").prefetch_related(
                Prefetch("building_groups", queryset=BuildingGroup.objects.order_by("name"))
            ),
            # By name alone too. The area's brands are shown by brands' own tag, area_brands.
            "indicators": Indicator.objects.visible_to(request.user)
            .filter(area=area)
            .with_latest_reading()
            .order_by("name"),
            "can_manage": can_manage_area(request.user, area),
        },
    )


@cache_public_page(depends_on=PUBLIC_CONTENT)
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user).select_related(
            "street", "area", "compound", "building_group", "parent"
        ),
        pk=pk,
    )
    posts = organization.posts.select_related("person").order_by("-start_date", "pk")
    current = posts.current()
    return render(
        request,
        "governance/organization_detail.html",
        {
            "organization": organization,
            "current_posts": current,
            "past_posts": posts.exclude(pk__in=current.values("pk")),
            "children": organization.children.order_by("name"),
            "agreements": organization.agreements.select_related("area").order_by("-start_date"),
            "can_manage": can_manage_organization(request.user, organization),
        },
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = (
        Person.objects.visible_to(request.user)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "posts",
                queryset=Post.objects.current().select_related("organization"),
                to_attr="current_posts",
            )
        )
    )
    person_filter = PersonFilter(request.GET, queryset=people, request=request)
    page = Paginator(person_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/person_list.html",
        {
            "filter": person_filter,
            "page_obj": page,
            "keeps_records": keeps_records(request.user),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("area", "street"), pk=pk
    )
    posts = person.posts.select_related("organization__area").order_by("-start_date", "pk")
    return render(request, "governance/person_detail.html", {"person": person, "posts": posts})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None and not keeps_records(request.user):
        raise Http404
    person = get_object_or_404(Person.objects.managed_by(request.user), pk=pk) if pk else Person()
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "area": data["area"],
            "phone": data["phone"],
            "address": data["address"],
            "note": data["note"],
        }
        try:
            if pk:
                person = services.person_update(person=person, actor=request.user, **fields)
            else:
                person = services.person_create(actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": person.name})
            return redirect(person)
    return render(request, "governance/person_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.managed_by(request.user).select_related("area"), pk=pk
    )
    form = PostForm(request.POST or None, user=request.user, organization=organization)
    if request.method == "POST" and form.is_valid():
        post = services.post_create(
            actor=request.user, organization=organization, **form.cleaned_data
        )
        messages.success(
            request,
            _("%(person)s now holds the post of %(title)s.")
            % {"person": post.person.name, "title": post.get_title_display()},
        )
        return redirect(organization)
    return render(
        request, "governance/post_form.html", {"form": form, "organization": organization}
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.managed_by(request.user).select_related("person", "organization"), pk=pk
    )
    form = PostEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_end(actor=request.user, post=post, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            form.add_error("end_date", error)
        else:
            messages.success(
                request,
                _("The post of %(person)s has been ended.") % {"person": post.person.name},
            )
            return redirect(post.organization)
    return render(request, "governance/post_confirm_end.html", {"form": form, "post": post})


TRAIL_PAGE_SIZE = 50


@login_required
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the organisation, its posts and its agreements, and how."""
    organization = get_object_or_404(Organization.objects.managed_by(request.user), pk=pk)
    entries = trail(
        Organization.history.filter(id=pk),
        Post.history.filter(organization_id=pk),
        Agreement.history.filter(partner_id=pk),
    )
    return _trail_page(request, organization, organization.get_absolute_url(), entries)


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the person's record and their posts, and how."""
    person = get_object_or_404(Person.objects.managed_by(request.user), pk=pk)
    entries = trail(Person.history.filter(id=pk), Post.history.filter(person_id=pk))
    return _trail_page(request, person, person.get_absolute_url(), entries)


def _trail_page(request: HttpRequest, subject, subject_url: str, entries: list) -> HttpResponse:
    page = Paginator(entries, TRAIL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/audit_trail.html",
        {"subject": subject, "subject_url": subject_url, "page_obj": page},
    )
