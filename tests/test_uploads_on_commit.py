"""An uploaded file reaches the storage only when the transaction recording it commits: a
rolled-back upload leaves no orphan file, and a committed one is on disk under its row's name."""

import io
import logging
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from brands import services as brand_services
from brands.models import BrandActivity
from governance import services
from governance.models import Attachment, AttachmentKind
from governance.services.roster import roster_import_queue
from tests import factories
from wishes import notifications as wish_notifications
from wishes import services as wish_services
from wishes.models import Wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return tmp_path


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _attach(area, secretary):
    case = factories.case(area, secretary)
    return services.case_attach(
        case=case, actor=secretary, upload=_png(), kind=AttachmentKind.BEFORE
    )


def _fulfil(area, secretary):
    wish = factories.wish(area, secretary, status="claimed")
    return wish_services.wish_fulfil(wish=wish, actor=secretary, note="已送到。", photo=_png())


def _record_activity(area, secretary):
    return brand_services.brand_activity_record(
        brand=factories.BrandFactory(area=area),
        actor=secretary,
        date=timezone.localdate(),
        title="中秋共做月饼",
        photo=_png(),
        photo_alt="居民一起做月饼",
    )


def _queue_roster(area, secretary):
    return roster_import_queue(
        actor=secretary,
        street=area.street,
        file=SimpleUploadedFile("roster.csv", "名称\n".encode()),
        dry_run=True,
        language="zh-hans",
    )


UPLOADS = {
    "case attachment": (_attach, "file"),
    "wish photo": (_fulfil, "fulfilment_photo"),
    "brand activity photo": (_record_activity, "photo"),
    "roster file": (_queue_roster, "file"),
}


@pytest.mark.parametrize("upload", UPLOADS)
def test_an_upload_rolled_back_with_its_transaction_leaves_no_file(
    upload, area, secretary, media, django_capture_on_commit_callbacks
):
    act, _field = UPLOADS[upload]

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        act(area, secretary)
        raise RuntimeError("the request failed after the upload")

    assert _files(media) == []


@pytest.mark.parametrize("upload", UPLOADS)
def test_a_committed_upload_is_on_disk_under_its_rows_name(
    upload, area, secretary, media, django_capture_on_commit_callbacks
):
    act, field = UPLOADS[upload]

    with django_capture_on_commit_callbacks(execute=True):
        record = act(area, secretary)

    stored = getattr(type(record).objects.get(pk=record.pk), field)
    assert stored.name
    assert stored.storage.exists(stored.name)
    assert _files(media) == [Path(stored.path)]


def test_a_service_that_fails_after_the_upload_leaves_no_file_nor_row(
    area, secretary, media, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("the notifications are away")

    wish = factories.wish(area, secretary, status="claimed")
    monkeypatch.setattr(wish_notifications, "wish_moved", broken)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        wish_services.wish_fulfil(wish=wish, actor=secretary, note="已送到。", photo=_png())

    assert _files(media) == []
    assert not Wish.objects.get(pk=wish.pk).fulfilment_photo


def test_a_refused_attachment_leaves_no_file_nor_row(
    area, secretary, media, settings, django_capture_on_commit_callbacks
):
    case = factories.case(area, secretary)
    settings.CASE_ATTACHMENT_MAX_BYTES = 10

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.case_attach(case=case, actor=secretary, upload=_png(), kind=AttachmentKind.BEFORE)

    assert _files(media) == []
    assert not Attachment.objects.exists()


def test_a_name_taken_before_the_commit_is_followed_by_the_row(
    area, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        activity = _record_activity(area, secretary)
    planned = activity.photo.name
    activity.photo.storage.save(planned, io.BytesIO(b"another upload"))

    for callback in callbacks:
        callback()

    stored = BrandActivity.objects.get(pk=activity.pk).photo
    assert stored.name != planned
    with stored.open("rb") as photo, Image.open(photo) as image:
        assert image.format == "PNG"


def test_a_file_that_cannot_be_written_is_logged_and_the_commit_stands(
    area, secretary, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    storage = Attachment._meta.get_field("file").storage

    def full_disk(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(storage, "save", full_disk)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        attachment = _attach(area, secretary)

    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert any("was not written" in record.getMessage() for record in caplog.records)
