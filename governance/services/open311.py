"""Writes of record for Open311: issuing partner systems' keys and logging their cases."""

import secrets

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import ApiClient, Case, Category, Channel, Priority, hash_api_key
from governance.services.cases import case_create
from residents.models import Compound, ResidentialArea, Role, Street, User

TITLE_LENGTH = 120
DESCRIPTION_LENGTH = 4000


@transaction.atomic
def api_client_create(*, name: str, street: Street, actor: User) -> tuple[ApiClient, str]:
    """Register a partner system of the street and issue its key. The key is returned once,
    here, and only its hash is kept."""
    if not Street.objects.managed_by(actor).filter(pk=street.pk).exists():
        raise PermissionDenied
    name = name.strip()
    if ApiClient.objects.filter(street=street, name=name).exists():
        raise ValidationError(
            _("The street already has a partner system of this name."), code="duplicate_name"
        )
    key = secrets.token_urlsafe(32)
    account = User.objects.create(
        username=f"open311-{secrets.token_hex(6)}",
        password=make_password(None),  # unusable: the account never logs in
        first_name=name[:150],
        role=Role.STREET_STAFF,
        street=street,
    )
    client = ApiClient.objects.create(
        name=name,
        street=street,
        account=account,
        key_prefix=key[:8],
        key_hash=hash_api_key(key),
    )
    return client, key


def place_for_report(
    *, street: Street, area_slug: str = "", address: str = ""
) -> tuple[ResidentialArea | None, Compound | None]:
    """The street's area (and compound, when the address names one) a report is about: the
    area by its slug, else the compound or area whose name or address the address mentions
    (the longest match wins)."""
    areas = ResidentialArea.objects.filter(street=street)
    address = address.strip()
    compounds = list(Compound.objects.filter(area__street=street).only("name", "address", "area"))
    if area_slug:
        area = areas.filter(slug=area_slug).first()
        if area is None:
            return None, None
        compounds = [compound for compound in compounds if compound.area_id == area.pk]
        areas = areas.filter(pk=area.pk)
    if not address:
        return (area if area_slug else None), None
    candidates: list[tuple[str, int, Compound | None]] = []
    for compound in compounds:
        for text in (compound.name, compound.address):
            candidates.append((text, compound.area_id, compound))
    for each in areas.only("name", "short_name"):
        for text in (each.name, each.short_name):
            candidates.append((text, each.pk, None))
    matches = [
        (len(text), area_id, compound)
        for text, area_id, compound in candidates
        if text and text in address
    ]
    if not matches:
        return (area if area_slug else None), None
    _length, area_id, compound = max(matches, key=lambda match: match[0])
    return areas.get(pk=area_id), compound


@transaction.atomic
def open311_request_create(
    *,
    client: ApiClient,
    category: Category,
    area_slug: str = "",
    address: str = "",
    description: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
) -> Case:
    """Log a partner system's report as a new case of the area it names, by the client's
    account and through case_create, so that it is numbered, counted and due like any other."""
    client = (
        ApiClient.objects.select_for_update().select_related("account", "street").get(pk=client.pk)
    )
    if not client.is_active:
        raise PermissionDenied
    if not category.is_active or not category.service_code:
        raise ValidationError(_("This service is not offered."), code="unknown_service")
    area, compound = place_for_report(street=client.street, area_slug=area_slug, address=address)
    if area is None:
        raise ValidationError(
            _("Name a residential area of the street (attribute[area]) or an address in it."),
            code="area_not_found",
        )
    description = description.strip()
    if len(description) > DESCRIPTION_LENGTH:
        raise ValidationError(
            _("The description is longer than %(limit)d characters."),
            code="description_too_long",
            params={"limit": DESCRIPTION_LENGTH},
        )
    first_line = description.splitlines()[0].strip() if description else ""
    case = case_create(
        actor=client.account,
        area=area,
        category=category,
        title=(first_line or category.name)[:TITLE_LENGTH],
        description=description or category.name,
        channel=Channel.PARTNER_SYSTEM,
        priority=Priority.NORMAL,
        compound=compound,
        location=address.strip()[:200],
        reporter_name=reporter_name.strip()[:40],
        reporter_phone=reporter_phone.strip()[:30],
    )
    client.last_used_at = timezone.now()
    client.save(update_fields=["last_used_at"])
    return case
