"""Street staff keep forums' details, practices and news here; the publishing panel on each
record's own page moves it through review and publication (forums.services in both places).

Once published, text is not edited in place: a change needs a correction note and becomes a new
version through ``forum_correct``, ``practice_correct`` or ``news_item_correct``."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from forums import services
from forums.forms import CORRECTABLE_FIELDS
from forums.models import (
    Attendee,
    AttendeeRole,
    Forum,
    NewsItem,
    Practice,
    PublicationStatus,
    Speech,
    Topic,
)
from governance.images import checked_photo
from governance.models import Case
from lujiazui.uploads import save_on_commit
from residents.admin import ReadOnlyAdminMixin, ScopedAdmin
from residents.models import Person, Street

STATE_FIELDS = ["status", "version", "published_at", "corrected_at", "withdrawal_reason"]


# Addresses the pages use themselves: /forums/feed/ is the feed, not a forum.
RESERVED_SLUGS = {"feed", "new"}


class PublishableAdminForm(forms.ModelForm):
    correction_note = forms.CharField(
        label=_("What was corrected"),
        max_length=300,
        required=False,
        help_text=_("Needed to change published text: shown on the public page with the date."),
    )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is used by the portal itself."), code="reserved")
        return slug

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status == PublicationStatus.PUBLISHED:
            if not cleaned.get("correction_note", "").strip():
                self.add_error(
                    "correction_note",
                    ValidationError(_("Say what was corrected."), code="note_required"),
                )
            if not (set(self.changed_data) - {"correction_note"}):
                raise ValidationError(_("Nothing was changed."), code="no_change")
        return cleaned


class ForumAdminForm(PublishableAdminForm):
    class Meta:
        # Covers are stored privately and have no storage URL: the stock widget would ask for
        # one. The current cover is linked to its page view (``current_cover``) instead.
        widgets = {"cover": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}

    def clean_cover(self):
        """A cover is checked as every photo is (size, a JPEG, PNG or WebP that decodes within
        the pixel limit) and saved again without its metadata: a phone photo's EXIF holds where
        and when it was taken, and on which device; bytes appended after the image go too."""
        cover = self.cleaned_data.get("cover")
        if not cover or "cover" not in self.changed_data:
            return cover
        return checked_photo(cover, max_bytes=settings.CASE_ATTACHMENT_MAX_BYTES)


class PublishableAdmin(ScopedAdmin):
    form = PublishableAdminForm
    list_filter = ["status"]
    readonly_fields = STATE_FIELDS
    slug_from = "title"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        street = Street.objects.managed_by(request.user).first()
        if street:
            initial.setdefault("street", street.pk)
        return initial

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW):
            return STATE_FIELDS
        if obj.status == PublicationStatus.PUBLISHED:
            editable = set(CORRECTABLE_FIELDS[type(obj)]) | {"correction_note"}
            return [*STATE_FIELDS, *(f for f in self._content_fields(obj) if f not in editable)]
        # Approved or withdrawn: back to draft on the record's page before changing anything.
        return [*STATE_FIELDS, *self._content_fields(obj)]

    def _content_fields(self, obj) -> list[str]:
        return [
            f.name
            for f in [*obj._meta.fields, *obj._meta.many_to_many]
            if f.editable and not f.auto_created and f.name not in ("id", "created_at")
        ]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or obj.status != PublicationStatus.PUBLISHED:
            fields = [f for f in fields if f != "correction_note"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            form.base_fields["slug"].help_text = _(
                "Used in the page address. Empty: made from the title's pinyin."
            )
        return form

    def save_model(self, request, obj, form, change):
        if change and obj.status == PublicationStatus.PUBLISHED:
            fields = CORRECTABLE_FIELDS[type(obj)]
            changes = {
                name: form.cleaned_data[name] for name in fields if name in form.changed_data
            }
            original = type(obj).objects.get(pk=obj.pk)
            note = form.cleaned_data["correction_note"]
            if isinstance(original, Forum):
                services.forum_correct(forum=original, actor=request.user, note=note, **changes)
            elif isinstance(original, Practice):
                services.practice_correct(
                    practice=original, actor=request.user, note=note, **changes
                )
            else:
                services.news_item_correct(
                    news_item=original, actor=request.user, note=note, **changes
                )
            return
        if not obj.slug:
            obj.slug = services.pinyin_slug(type(obj), getattr(obj, self.slug_from))
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        """Published text is withdrawn, never deleted: residents may have linked to it."""
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)


class AttendeeFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        hosts = [
            form
            for form in self.forms
            if form.cleaned_data.get("role") == AttendeeRole.HOST
            and not form.cleaned_data.get("DELETE")
        ]
        if len(hosts) > 1:
            raise ValidationError(_("A forum has one host."), code="one_host")


class AttendeeInline(admin.TabularInline):
    model = Attendee
    formset = AttendeeFormSet
    extra = 0
    autocomplete_fields = ["person"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = Person.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_editable

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.is_editable


class SpeechInline(admin.TabularInline):
    """Speeches are written on the forum's page, where secretaries and speakers work too."""

    model = Speech
    fields = ["order", "kind", "speaker_name", "speaker_post", "title", "review_state"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Forum)
class ForumAdmin(PublishableAdmin):
    form = ForumAdminForm
    list_display = ["title", "starts_at", "status", "version"]
    search_fields = ["title", "theme"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["areas", "topics"]
    inlines = [AttendeeInline, SpeechInline]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "current_cover"]

    def save_model(self, request, obj, form, change):
        """A new cover is written once the forum's save commits, not before."""
        cover = form.cleaned_data.get("cover")
        if cover and "cover" in form.changed_data:
            save_on_commit(obj.cover, cover.name, cover)
        super().save_model(request, obj, form, change)

    def get_fields(self, request, obj=None):
        """The cover's link next to it; a cover that is read only is shown by the link alone."""
        fields = [f for f in super().get_fields(request, obj) if f != "current_cover"]
        readonly = self.get_readonly_fields(request, obj)
        at = fields.index("cover")
        shown = ["current_cover"] if "cover" in readonly else ["current_cover", "cover"]
        return [*fields[:at], *shown, *fields[at + 1 :]]

    @admin.display(description=_("current cover"))
    def current_cover(self, forum: Forum) -> str:
        if not (forum and forum.cover):
            return "-"
        url = reverse("forums:forum_cover", args=[forum.slug])
        return format_html('<a href="{}">{}</a>', url, forum.cover_alt)


@admin.register(Practice)
class PracticeAdmin(PublishableAdmin):
    list_display = ["title", "area", "status", "version"]
    list_filter = ["status", ("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["categories", "topics"]
    autocomplete_fields = ["speeches", "cases"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "cases":
            kwargs["queryset"] = Case.objects.visible_to(request.user)
        if db_field.name == "speeches":
            kwargs["queryset"] = Speech.objects.filter(
                forum__in=Forum.objects.managed_by(request.user)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(NewsItem)
class NewsItemAdmin(PublishableAdmin):
    list_display = ["title", "source", "dated", "status"]
    search_fields = ["title", "summary"]
    date_hierarchy = "dated"


@admin.register(Speech)
class SpeechAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Only for picking a practice's source speeches; speeches are edited on the forum's page."""

    search_fields = ["title", "subtitle", "speaker_name"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(forum__in=Forum.objects.managed_by(request.user))
        )

    def get_model_perms(self, request):
        return {}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics are shared by every street: staff add them; renaming or deleting one would change
    other streets' published pages, so only the installation's superuser may."""

    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
