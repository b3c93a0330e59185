"""POST requests: read the spec's fields and file the case through the one complaint intake
service (channel Open311), in the body's schema."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from api.models import ApiKey
from api.open311 import catalogue
from api.open311.params import Open311Error, attributes, bad, coordinates
from apps.complaints.errors import ComplaintError
from apps.complaints.idempotency import scoped_key
from apps.complaints.services.intake import complaint_submit
from apps.complaints.status import Channel
from apps.complaints.validation import Complainant
from apps.oversight.scoping import Scope
from tenants.locate import body_live_for_code, place_locate, subdistrict_from_address
from tenants.models import LocalBody
from tenants.service_areas import MAX_MOO

TOKEN_SALT = "open311.token"  # noqa: S105 - a signing salt, not a secret
# The intake service's field names → the Open311 parameter a client sent.
_PARAMETERS = {
    "category": "service_code", "description": "description", "name": "first_name/last_name",
    "phone": "phone", "email": "email", "location": "lat/long", "subdistrict": "attribute[subdistrict]",
    "moo": "attribute[moo]", "location_text": "address_string", "media_url": "media_url", "attachments": "media",
    "external_source": "external_source", "external_id": "external_id",
    **{f"contact_{c}": "attribute[contact_allowed]" for c in ("phone", "email", "line")},
    "contact_allowed": "attribute[contact_allowed]",
}


def token_for(service_request_id: str) -> str:
    """Creation is synchronous: the token is the new request's id, signed (nothing stored)."""
    return signing.Signer(salt=TOKEN_SALT).sign(service_request_id)


def request_id_for_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None


def _moo(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= MAX_MOO else None


def _served(data: Mapping[str, Any]) -> list[LocalBody]:
    """The bodies serving the request's place, by the finder's rule (tenants.locate.place_locate):
    `attribute[subdistrict]` (with `attribute[moo]`), else the subdistrict nearest lat/long, else
    the subdistrict `address_string` names (ต./อ./จ.)."""
    extra = attributes(data)
    subdistrict, moo = extra.get("subdistrict", "").strip()[:6], _moo(extra.get("moo", ""))
    latitude, longitude = coordinates(data)
    bodies = place_locate(subdistrict_code=subdistrict, moo=moo).bodies if subdistrict else []
    if not bodies and latitude is not None and longitude is not None:
        bodies = place_locate(latitude=latitude, longitude=longitude, moo=moo).bodies
    if not bodies and (written := subdistrict_from_address(_text(data, "address_string"))):
        bodies = place_locate(subdistrict_code=written, moo=moo).bodies
    return bodies


def route(data: Mapping[str, Any], *, key: ApiKey) -> LocalBody:
    """The national endpoint's body: `jurisdiction_id` (the DLA code; a body's code before its
    upgrade, or a merged body's, routes to the body that has its cases now), else the one body whose
    service area covers the place (the subdistrict attribute, else the subdistrict nearest lat/long,
    else the one the address names);
    several bodies serving it is a refusal naming them. Only bodies in the key's scope."""
    code = str(data.get("jurisdiction_id") or "").strip()
    body: LocalBody | None
    if code:
        body = body_live_for_code(code)
        if body is None:
            raise Open311Error(404, _("jurisdiction_id: ไม่พบหน่วยงานที่เปิดให้บริการรหัสนี้"))
    else:
        bodies = _served(data)
        if not bodies:
            raise bad("jurisdiction_id", _("ระบุหน่วยงานไม่ได้ กรุณาส่ง jurisdiction_id (รหัส อปท.) หรือพิกัดในพื้นที่"))
        if len(bodies) > 1:
            names = ", ".join(f"{b.dla_code} {b.display_name}" for b in bodies)
            raise bad("jurisdiction_id", _("มีหลายหน่วยงานที่ดูแลพื้นที่นี้ (%(bodies)s) กรุณาส่ง jurisdiction_id "
                                           "หรือ attribute[moo]") % {"bodies": names})
        body = bodies[0]
    if key.body_id is None and key.scope != "nation":
        scope = Scope.parse(key.scope)
        if not scope.contains(Scope("district", body.district_id or "")):
            raise Open311Error(403, _("api_key นี้ส่งเรื่องให้หน่วยงานนอกขอบเขตของกุญแจไม่ได้"))
    return body


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value)


def ticket_key(ticket: str, *, key: ApiKey) -> str:
    """The partner's own id (`client_ticket_id`, or the Idempotency-Key header), unique per key."""
    try:
        return scoped_key(ticket, scope=f"open311:{key.pk}")
    except ComplaintError as error:
        raise bad("client_ticket_id", str(error)) from error


def submit(*, data: Mapping[str, Any], body: LocalBody, key: ApiKey, national: bool,
           ticket: str = "", media: Sequence[UploadedFile] = ()) -> tuple[dict[str, Any], bool]:
    """File the request in `body`; returns the spec's POST response item, and whether it is a case
    filed earlier under the same `client_ticket_id` (a retried POST files nothing new). `media`:
    photos or PDFs sent as multipart/form-data parts named `media` (beside the spec's `media_url`),
    checked and stored like the portal form's."""
    idempotency_key = ticket_key(ticket, key=key)
    with schema_context(body.schema_name):
        services = catalogue.body_services()
        code = _text(data, "service_code").strip()
        if not code:
            raise bad("service_code", _("กรุณาระบุ service_code"))
        service = catalogue.service_by_code(services, code)
        if service is None and national:
            # Nationally the code is the national one: the body's first category under it.
            service = next((s for s in services if s.national.code == code), None)
        if service is None:
            raise Open311Error(404, _("service_code: ไม่พบบริการนี้ในหน่วยงาน"))
        extra = attributes(data)
        conduct = extra.get("conduct", "").strip().lower()
        if conduct not in ("", "true", "false"):
            raise bad("attribute[conduct]", _("ใช้ได้เฉพาะ true หรือ false"))
        if conduct == "true" and not service.goes_to_oversight:
            service = catalogue.conduct_service(services)
            if service is None:
                raise bad("attribute[conduct]", _("หน่วยงานนี้ไม่มีหมวดร้องเรียนพฤติกรรมเจ้าหน้าที่"))
        latitude, longitude = coordinates(data)
        address = _text(data, "address_string")
        if latitude is None and not address.strip():
            raise bad("lat/long", _("กรุณาระบุพิกัด (lat และ long) หรือ address_string"))
        name = " ".join(part for part in (_text(data, "first_name").strip(), _text(data, "last_name").strip()) if part)
        phone, email = _text(data, "phone"), _text(data, "email")
        # The channels the complainant allows the handling officers to use, comma-separated (phone, email).
        allowed = tuple(c.strip() for c in extra.get("contact_allowed", "").split(",") if c.strip())
        person = Complainant(name=name, phone=phone, email=email, contact_allowed=allowed) \
            if (name or phone.strip() or email.strip()) else None
        try:
            result = complaint_submit(
                channel=Channel.OPEN311, category=service.category_id or 0, description=_text(data, "description"),
                complainant=person, subdistrict_code=extra.get("subdistrict", ""), moo=extra.get("moo", ""),
                location_text=address, latitude=latitude, longitude=longitude,
                media_url=_text(data, "media_url"), privacy_notice_shown=False, uploads=media,
                source_label=f"Open311: {key.name}", idempotency_key=idempotency_key,
                external_source=_text(data, "external_source"), external_id=_text(data, "external_id"),
            )
        except ComplaintError as error:
            raise bad(_PARAMETERS.get(error.field or "", error.field or "request"), str(error)) from error
    service_request_id = f"{body.dla_code}-{result.complaint.pk}"
    notice = _("เลขติดตามเรื่อง %(code)s") % {"code": result.complaint.tracking_code}
    if result.second_factor_kind == "pin":
        notice += " " + _("(รหัส PIN สำหรับติดตามเรื่อง %(pin)s)") % {"pin": result.second_factor}
    return {"service_request_id": service_request_id, "token": token_for(service_request_id),
            "service_notice": notice, "account_id": None}, result.replayed
