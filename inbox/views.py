from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inbox import services, tasks
from inbox.forms import PreferencesForm
from inbox.models import Delivery, Kind, Notification, Preference
from inbox.targets import target_url

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unread first, newest first."""
    notifications = Notification.objects.for_user(request.user).unread_first()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inbox/inbox.html", {"page_obj": page, "notifications": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to its object, marking it read; a 404 if the object is out of the
    user's sight now (the inbox never shows more than the object's own page would)."""
    notification = get_object_or_404(
        Notification.objects.for_user(request.user).select_related("content_type"), pk=pk
    )
    url = target_url(request.user, notification)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(url)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    messages.success(request, _("Marked as read."))
    return redirect("inbox:inbox")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("inbox:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """For each kind: in the inbox only, by e-mail at once, or in the daily digest."""
    user = request.user
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    initial = {kind.value: chosen.get(kind.value, Delivery.INBOX) for kind in Kind}
    initial["language"] = tasks.language_of(user)  # what the e-mails are written in today
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=user,
            deliveries={kind.value: form.cleaned_data[kind.value] for kind in Kind},
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("inbox:preferences")
    return render(
        request,
        "inbox/preferences.html",
        {"form": form, "has_email": bool(user.email)},
    )
