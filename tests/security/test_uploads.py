"""Every upload form refuses what is not what it should be, and stores nothing when it does:
a file whose content is not its name's type, one just over the limit, an SVG with a script, a
GIF that is also a script, and image bombs. A valid image with a page or an archive appended is
stored only as the image drawn again, and served as an image that browsers may not sniff.

UPLOADS names every file field of the portal's forms and the admin; a test derives the same
list from the forms, so a new upload field without these probes fails."""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from brands.models import BrandActivity
from forums.models import Forum
from governance.forms.roster import RosterImportForm
from governance.models import Attachment, RosterImport
from tests import factories
from tests.commits import committed
from tests.security.test_xss import _admin_forms, _project_forms
from wishes.models import Wish, WishStatus

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024  # the photo and attachment limit during these tests (just over it is refused)
APPENDED = b"<html><script>alert(1)</script></html>"


# Files


def _image(fmt: str = "PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.html", APPENDED)
    return buffer.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares the given size over a few bytes of pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


GIF_SCRIPT = (
    b"GIF89a/*\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;*/=alert(1);"
)
SVG_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script></svg>'
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"

# Refused everywhere: (name of the probe, file name, content)
REFUSED_IMAGES = [
    ("text renamed .jpg", "photo.jpg", b"just some text, not a photo"),
    ("program renamed .jpg", "photo.jpg", EXE),
    ("svg with a script", "drawing.svg", SVG_SCRIPT),
    ("svg with a script renamed .png", "drawing.png", SVG_SCRIPT),
    ("image bomb", "bomb.png", _png_header(100_000, 100_000)),
    ("image over the pixel limit", "big.png", _png_header(10_000, 9_000)),
]
# Valid images with something after them: stored only as the image drawn again.
POLYGLOTS = [
    ("jpeg with a page appended", "photo.jpg", _image("JPEG") + APPENDED),
    ("png with an archive appended", "photo.png", _image("PNG") + _zip() + APPENDED),
]


def _oversize(name: str = "photo.png") -> tuple[str, str, bytes]:
    image = _image("PNG")
    return ("just over the limit", name, image + b"\x00" * (LIMIT + 1 - len(image)))


def _upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# The upload forms


@dataclass
class Setup:
    client: object
    case: object
    brand: object
    wish: Wish
    liaison: object
    secretary: object
    street_staff: object


@pytest.fixture
def setup(client, settings, area, secretary, street_staff):
    settings.CASE_ATTACHMENT_MAX_BYTES = LIMIT
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    liaison = factories.liaison(unit)
    return Setup(
        client=client,
        case=factories.case(area, secretary),
        brand=factories.BrandFactory(area=area),
        wish=factories.wish(area, secretary, status="claimed", unit=unit, claimer=liaison),
        liaison=liaison,
        secretary=secretary,
        street_staff=street_staff,
    )


def _messages(response) -> list:
    return list(response.wsgi_request._messages._queued_messages)


def post_attachment(s: Setup, upload):
    s.client.force_login(s.secretary)
    with committed():  # as a request does, it commits its upload
        response = s.client.post(
            reverse("governance:case_attachment_upload", args=[s.case.number]),
            {"kind": "before", "file": upload},
        )
    errors = [str(m) for m in _messages(response) if m.level == constants.ERROR]
    return response, errors


def post_brand_photo(s: Setup, upload):
    s.client.force_login(s.secretary)
    with committed():  # as a request does, it commits its upload
        response = s.client.post(
            reverse("brands:brand_activity_create", args=[s.brand.slug]),
            {"date": "2026-01-05", "title": "活动", "photo": upload, "photo_alt": "说明"},
        )
    form = response.context["form"] if response.status_code != 302 else None
    errors = (
        [str(e) for e in form.errors.get("photo", []) + form.non_field_errors()] if form else []
    )
    return response, errors


def post_wish_photo(s: Setup, upload):
    s.client.force_login(s.liaison)
    with committed():  # as a request does, it commits its upload
        response = s.client.post(
            reverse("wishes:wish_fulfil", args=[s.wish.pk]), {"note": "换好了", "photo": upload}
        )
    errors = [str(m) for m in _messages(response) if m.level == constants.ERROR]
    return response, errors


def post_roster(s: Setup, upload):
    s.client.force_login(s.secretary)
    response = s.client.post(reverse("governance:roster_import"), {"file": upload, "dry_run": "on"})
    form = response.context["form"] if response.status_code != 302 else None
    return response, [str(e) for e in form.errors.get("file", [])] if form else []


def _stored_rows() -> dict[str, int]:
    return {
        "attachments": Attachment.objects.count(),
        "activities": BrandActivity.objects.count(),
        "wish photos": Wish.objects.exclude(fulfilment_photo="").count(),
        "fulfilled": Wish.objects.filter(status=WishStatus.FULFILLED).count(),
        "rosters": RosterImport.objects.count(),
    }


def _stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


UPLOADS = {
    "AttachmentForm.file": post_attachment,
    "BrandActivityForm.photo": post_brand_photo,
    "WishFulfilForm.photo": post_wish_photo,
    "RosterImportForm.file": post_roster,
    "admin brands.BrandActivity.photo": "admin",
    "admin forums.Forum.cover": "admin",
}
PHOTO_FORMS = ["AttachmentForm.file", "BrandActivityForm.photo", "WishFulfilForm.photo"]


def test_every_upload_field_is_probed():
    """A file field added to a form or the admin without an entry here fails this test."""
    found = set()
    for form in _project_forms():
        found |= {
            f"{form.__name__}.{name}"
            for name, field in form.base_fields.items()
            if isinstance(field, forms.FileField)
        }
    for form in _admin_forms():
        found |= {
            f"admin {form._meta.model._meta.label}.{name}"
            for name, field in form.base_fields.items()
            if isinstance(field, forms.FileField)
        }
    assert found == UPLOADS.keys()


@pytest.mark.parametrize("form_name", PHOTO_FORMS)
@pytest.mark.parametrize(
    ("probe", "name", "content"),
    [*REFUSED_IMAGES, _oversize()],
    ids=[probe[0] for probe in [*REFUSED_IMAGES, _oversize()]],
)
def test_a_photo_form_refuses_the_file_with_a_message_and_stores_nothing(
    setup, settings, form_name, probe, name, content
):
    before = _stored_rows()

    response, errors = UPLOADS[form_name](setup, _upload(name, content))

    assert response.status_code < 500
    assert errors, f"{probe}: the form says why it refused the file"
    assert _stored_rows() == before
    assert _stored_files(settings) == []


@pytest.mark.parametrize("form_name", PHOTO_FORMS)
@pytest.mark.parametrize(
    ("probe", "name", "content"), POLYGLOTS, ids=[probe[0] for probe in POLYGLOTS]
)
def test_an_image_with_something_appended_is_stored_as_the_image_alone(
    setup, settings, form_name, probe, name, content
):
    response, errors = UPLOADS[form_name](setup, _upload(name, content))

    assert response.status_code == 302
    assert errors == []
    [stored] = _stored_files(settings)
    data = stored.read_bytes()
    assert b"<script>" not in data
    assert b"PK\x03\x04" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format in ("JPEG", "PNG")


@pytest.mark.parametrize("form_name", PHOTO_FORMS)
def test_a_gif_that_is_also_a_script_is_refused_or_kept_as_the_image_alone(
    setup, settings, form_name
):
    """Case attachments take GIFs: this one is a valid GIF, so it is drawn again without the
    script; the photo forms take no GIF at all."""
    response, errors = UPLOADS[form_name](setup, _upload("anim.gif", GIF_SCRIPT, "image/gif"))

    assert response.status_code < 500
    stored = _stored_files(settings)
    if errors:
        assert stored == []
        assert form_name != "AttachmentForm.file"
    else:
        [file] = stored
        assert b"alert(1)" not in file.read_bytes()


@pytest.mark.parametrize("form_name", PHOTO_FORMS)
def test_a_stored_photo_is_served_as_an_image_that_is_not_sniffed(setup, form_name):
    name, content = POLYGLOTS[0][1:]
    UPLOADS[form_name](setup, _upload(name, content))
    if form_name == "AttachmentForm.file":
        attachment = Attachment.objects.get()
        url, user = attachment.get_absolute_url(), setup.secretary
    elif form_name == "BrandActivityForm.photo":
        activity = BrandActivity.objects.get()
        url = reverse("brands:brand_activity_photo", args=[setup.brand.slug, activity.pk])
        user = setup.secretary
    else:
        url, user = reverse("wishes:wish_photo", args=[setup.wish.pk]), setup.liaison
    setup.client.force_login(user)

    response = setup.client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in b"".join(response.streaming_content)


ROSTER_REFUSED = [
    ("program renamed .xlsx", "roster.xlsx", EXE),
    ("text renamed .xlsx", "roster.xlsx", b"name,title\n"),
    ("an archive that is no workbook", "roster.xlsx", _zip()),
    ("image renamed .csv", "roster.csv", _image("PNG")),
    ("gif that is a script renamed .csv", "roster.csv", GIF_SCRIPT),
    ("image bomb renamed .xlsx", "roster.xlsx", _png_header(100_000, 100_000)),
    ("svg", "roster.svg", SVG_SCRIPT),
    ("program", "roster.exe", EXE),
]


@pytest.mark.parametrize(
    ("probe", "name", "content"), ROSTER_REFUSED, ids=[p[0] for p in ROSTER_REFUSED]
)
def test_the_roster_form_refuses_a_file_that_is_no_roster_and_stores_nothing(
    setup, settings, probe, name, content
):
    response, errors = post_roster(setup, _upload(name, content, "application/octet-stream"))

    assert response.status_code == 200
    assert errors, probe
    assert _stored_rows()["rosters"] == 0
    assert _stored_files(settings) == []


def test_the_roster_form_refuses_a_file_just_over_its_limit(setup, settings, monkeypatch):
    monkeypatch.setattr(RosterImportForm, "MAX_BYTES", LIMIT)
    _response, errors = post_roster(setup, _upload("roster.csv", b"a" * (LIMIT + 1), "text/csv"))

    assert errors
    assert RosterImport.objects.count() == 0
    assert _stored_files(settings) == []


def test_the_roster_form_still_takes_a_workbook_and_a_csv(setup):
    """The probes above are refused for what they are: real rosters go through."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    for name, content in (("roster.xlsx", buffer.getvalue()), ("roster.csv", "名称\n".encode())):
        response, errors = post_roster(setup, _upload(name, content, "application/octet-stream"))
        assert (response.status_code, errors) == (302, [])
    assert RosterImport.objects.count() == 2


# The admin's upload fields: the form refuses, or cleans the image to its pixels alone.


def _admin_form(model, instance, user, upload, field: str):
    request = RequestFactory().get("/admin/")
    request.user = user
    form_class = admin.site._registry[model].get_form(request, instance)
    # The fields the upload's own checks read; the others' errors do not matter here.
    data = {"date": "2026-01-05", "title": "标题", "photo_alt": "说明", "cover_alt": "说明"}
    return form_class(data=data, files={field: upload}, instance=instance)


@pytest.mark.parametrize(
    ("probe", "name", "content"),
    [*REFUSED_IMAGES, _oversize()],
    ids=[probe[0] for probe in [*REFUSED_IMAGES, _oversize()]],
)
@pytest.mark.parametrize("field", ["forums.Forum.cover", "brands.BrandActivity.photo"])
def test_the_admin_refuses_the_file_with_a_message(setup, street, field, probe, name, content):
    if field == "forums.Forum.cover":
        instance, model = factories.ForumFactory(street=street), Forum
    else:
        instance = factories.BrandActivityFactory(brand=setup.brand)
        model = BrandActivity
    setup.street_staff.is_superuser = True
    form = _admin_form(
        model, instance, setup.street_staff, _upload(name, content), field.rsplit(".")[-1]
    )

    form.is_valid()

    errors = form.errors.as_data()
    codes = {e.code for e in errors.get(field.rsplit(".")[-1], []) + errors.get("__all__", [])}
    assert codes & {"invalid_image", "file_too_large", "not_a_photo"}, probe


@pytest.mark.parametrize(
    ("probe", "name", "content"), POLYGLOTS, ids=[probe[0] for probe in POLYGLOTS]
)
def test_the_admin_keeps_a_cover_as_the_image_alone(setup, street, probe, name, content):
    forum = factories.ForumFactory(street=street)
    setup.street_staff.is_superuser = True
    form = _admin_form(Forum, forum, setup.street_staff, _upload(name, content), "cover")

    form.is_valid()

    assert "cover" not in form.errors
    cover = form.cleaned_data["cover"]
    cover.seek(0)
    data = cover.read()
    assert APPENDED not in data
    assert b"PK\x03\x04" not in data


def test_the_probes_are_what_they_claim():
    """The harness can fail: the polyglots open as images and keep their appended bytes, the
    bombs declare their sizes, and the oversize file is one byte over."""
    for _probe, _name, content in POLYGLOTS:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
        assert APPENDED in content
    assert len(_oversize()[2]) == LIMIT + 1
    assert struct.unpack(">II", _png_header(100_000, 100_000)[16:24]) == (100_000, 100_000)
