"""What staff are told: notifications in an inbox, by e-mail at once or in a daily digest.

A notification stores the kind, the object it is about and a few text parameters (case numbers,
area and organisation names, dates), never a resident's name, phone or address: its text is
written from them in the reader's language when it is shown or mailed.
"""

from typing import Self

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = get_user_model()


class Kind(models.TextChoices):
    CASE_PARTY_ADDED = "case_party_added", _("my organisation was made a party to a case")
    CASE_UPDATED = "case_updated", _("another party updated a case I work on")
    CASE_RESOLVED = "case_resolved", _("a case I work on was resolved")
    CASE_REOPENED = "case_reopened", _("a case I work on was reopened")
    CASE_DUE_SOON = "case_due_soon", _("a case I work on is due in two days")
    CASE_OVERDUE = "case_overdue", _("a case I work on is overdue")
    CASE_LOGGED = "case_logged", _("someone else logged a case in my area")
    FOLLOW_UP_DUE = "follow_up_due", _("a follow-up is due after a resolution")
    WISH_CLAIMED = "wish_claimed", _("a wish of my area was claimed")
    WISH_FULFILLED = "wish_fulfilled", _("a wish of my area was fulfilled")
    TERM_EXPIRING = "term_expiring", _("an owners' committee term or property contract expires")
    SPEECH_REVIEW = "speech_review", _("my speech waits for my review")
    FORUM_APPROVAL = "forum_approval", _("a forum waits for approval")
    SESSION_FULL = "session_full", _("a session of my event became full")
    WAITLIST_GREW = "waitlist_grew", _("the waitlist of my event grew")


class Delivery(models.TextChoices):
    INBOX = "inbox", _("in the inbox only")
    EMAIL = "email", _("by e-mail at once")
    DIGEST = "digest", _("in a daily digest e-mail")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User) -> Self:
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(recipient=user)

    def managed_by(self, user: User) -> Self:
        """The admin lists a user's own notifications; the installation's superuser sees all."""
        if user.is_authenticated and user.is_active and user.is_superuser:
            return self.all()
        return self.for_user(user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def unread_first(self) -> Self:
        unread = models.ExpressionWrapper(
            Q(read_at__isnull=True), output_field=models.BooleanField()
        )
        return self.order_by(unread.desc(), "-created_at", "-pk")


class Digest(models.Model):
    """One daily digest e-mail of a user: the notifications it carries point to it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.day:%Y-%m-%d}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("about (type)")
    )
    object_id = models.PositiveBigIntegerField(_("about (id)"))
    about = GenericForeignKey("content_type", "object_id")
    params = models.JSONField(_("text parameters"), default=dict, blank=True)
    key = models.CharField(
        _("reminder key"),
        max_length=40,
        blank=True,
        help_text=_("For reminders: the due date or day they are about, told once."),
    )
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("digest"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # What makes a reminder idempotent: one per person, kind, object and due date.
            models.UniqueConstraint(
                fields=["recipient", "kind", "content_type", "object_id", "key"],
                condition=~Q(key=""),
                name="notification_reminder_once",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(delivery="digest", digest__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inbox:open", kwargs={"pk": self.pk})

    @property
    def text(self) -> str:
        from inbox.texts import render

        return render(self.kind, self.params)


class Preference(models.Model):
    """How a user wants to hear about one kind: in the inbox only, by e-mail, or in a digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}: {self.get_delivery_display()}"


class MailSettings(models.Model):
    """The language a user's e-mails are written in (logins have no language of their own)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_settings",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("mail settings")
        verbose_name_plural = _("mail settings")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"
