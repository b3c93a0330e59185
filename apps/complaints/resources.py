"""The complaint register (ทะเบียนรับเรื่องร้องทุกข์): export to Excel/CSV and import of a body's
historical spreadsheet, with django-import-export (tablib underneath).

PDPA: identity columns appear only for roles that may see complainants, and only in the rows they
may see (confidential cases: executives only; conduct/corruption: nobody at the body); every row
exported with an identity is written to the identity-access audit log.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import tablib
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from apps.accounts.models import User
from apps.categories.models import OVERSIGHT_CLASSES
from apps.complaints.access import staff_role
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Category, Complaint, IdentityAccess, Role
from apps.complaints.policies import Actor, can_view_identity
from apps.complaints.services.intake import complaint_submit
from apps.complaints.services.workflow import complaint_finish_historical
from apps.complaints.status import Channel, Status
from apps.complaints.validation import Complainant
from apps.ui.spreadsheet import safe_dataset
from apps.ui.thai import MONTHS_TH, MONTHS_TH_ABBR, format_datetime
from tenants.db import current_schema

IDENTITY_ROLES = frozenset({Role.ADMIN, Role.EXECUTIVE, Role.CLERK})
IDENTITY_FIELDS = ("complainant_name", "complainant_phone", "complainant_email", "complainant_address")
MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ComplaintRegisterResource(resources.ModelResource):
    tracking_code = fields.Field(attribute="tracking_code", column_name="เลขติดตามเรื่อง")
    received = fields.Field(column_name="วันที่รับเรื่อง")
    channel = fields.Field(column_name="ช่องทาง")
    category = fields.Field(column_name="หมวดเรื่อง")
    description = fields.Field(attribute="description", column_name="รายละเอียด")
    location = fields.Field(column_name="สถานที่")
    moo = fields.Field(attribute="moo", column_name="หมู่ที่")
    complainant_name = fields.Field(column_name="ชื่อผู้ร้อง")
    complainant_phone = fields.Field(column_name="โทรศัพท์")
    complainant_email = fields.Field(column_name="อีเมล")
    complainant_address = fields.Field(column_name="ที่อยู่ผู้ร้อง")
    department = fields.Field(column_name="กอง/สำนักที่รับผิดชอบ")
    status = fields.Field(column_name="สถานะ")
    resolution = fields.Field(attribute="resolution", column_name="ผลการดำเนินการ")
    closed = fields.Field(column_name="วันที่ปิดเรื่อง")

    class Meta:
        model = Complaint
        fields = ("tracking_code", "received", "channel", "category", "description", "location", "moo",
                  "complainant_name", "complainant_phone", "complainant_email", "complainant_address",
                  "department", "status", "resolution", "closed")
        export_order = fields

    def __init__(self, *, user: Actor, with_identity: bool) -> None:
        super().__init__()
        self.user = user
        self.with_identity = with_identity
        self.revealed: list[int] = []
        if not with_identity:
            for name in IDENTITY_FIELDS:
                self.fields.pop(name, None)

    def _identity(self, complaint: Complaint, attribute: str) -> str:
        if not self.with_identity or not can_view_identity(self.user, complaint):
            return ""
        if attribute == "complainant_name" and complaint.pk not in self.revealed:
            self.revealed.append(complaint.pk)
        return getattr(complaint, attribute)

    def dehydrate_received(self, complaint: Complaint) -> str:
        return format_datetime(complaint.received_at)

    def dehydrate_closed(self, complaint: Complaint) -> str:
        return format_datetime(complaint.closed_at)

    def dehydrate_channel(self, complaint: Complaint) -> str:
        return str(complaint.get_channel_display())

    def dehydrate_category(self, complaint: Complaint) -> str:
        return complaint.category.name_th

    def dehydrate_department(self, complaint: Complaint) -> str:
        return complaint.department.name_th if complaint.department else ""

    def dehydrate_status(self, complaint: Complaint) -> str:
        return str(complaint.get_status_display())

    def dehydrate_location(self, complaint: Complaint) -> str:
        return complaint.location_text

    def dehydrate_complainant_name(self, complaint: Complaint) -> str:
        return self._identity(complaint, "complainant_name")

    def dehydrate_complainant_phone(self, complaint: Complaint) -> str:
        return self._identity(complaint, "complainant_phone")

    def dehydrate_complainant_email(self, complaint: Complaint) -> str:
        return self._identity(complaint, "complainant_email")

    def dehydrate_complainant_address(self, complaint: Complaint) -> str:
        return self._identity(complaint, "complainant_address")


def register_export(*, user: Actor, complaints: QuerySet[Complaint], fmt: str) -> tuple[bytes, str]:
    """The register as xlsx or csv bytes, with identity only where the user may see it (audited)."""
    with_identity = staff_role(user) in IDENTITY_ROLES
    resource = ComplaintRegisterResource(user=user, with_identity=with_identity)
    dataset = resource.export(queryset=complaints.select_related("category", "department"))
    if resource.revealed:
        assert isinstance(user, User), "only staff (IDENTITY_ROLES) are shown identities"
        IdentityAccess.objects.bulk_create(
            [IdentityAccess(complaint_id=pk, user=user, context="register export") for pk in resource.revealed])
    dataset = safe_dataset(dataset)
    if fmt == "csv":
        # A BOM so Excel opens Thai CSV as UTF-8.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8"), "text/csv; charset=utf-8"
    return dataset.export("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- import of a body's historical register ---------------------------------------------------------

COLUMNS = {
    "received": ("วันที่รับเรื่อง", "received_at", "date"),
    "channel": ("ช่องทาง", "channel"),
    "category": ("หมวดเรื่อง", "category"),
    "description": ("รายละเอียด", "เรื่อง", "description"),
    "location": ("สถานที่", "สถานที่เกิดเหตุ", "location"),
    "moo": ("หมู่ที่", "moo"),
    "name": ("ชื่อผู้ร้อง", "ผู้ร้อง", "name"),
    "phone": ("โทรศัพท์", "เบอร์โทร", "phone"),
    "email": ("อีเมล", "email"),
    "address": ("ที่อยู่ผู้ร้อง", "ที่อยู่", "address"),
    "status": ("สถานะ", "status"),
    "resolution": ("ผลการดำเนินการ", "resolution"),
    "closed": ("วันที่ปิดเรื่อง", "closed_at"),
}
_FINISHED = {"ปิดเรื่อง": Status.CLOSED, "closed": Status.CLOSED, "ดำเนินการแล้วเสร็จ": Status.RESOLVED,
             "แล้วเสร็จ": Status.RESOLVED, "resolved": Status.RESOLVED}
_OPEN = {"", "รับเรื่องแล้ว", "received", "รอดำเนินการ", "กำลังดำเนินการ"}


@dataclass
class RowResult:
    number: int
    ok: bool
    message: str = ""
    tracking_code: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    imported: int = 0

    @property
    def valid(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def invalid(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


def _staging_path(token: str) -> str:
    return f"bodies/{current_schema()}/imports/{token}"


def register_import_stage(*, upload: UploadedFile) -> str:
    """Keep the uploaded sheet (in the body's own storage prefix) between the dry run and the confirm."""
    name = (upload.name or "").lower()
    if not name.endswith((".xlsx", ".csv")):
        raise ComplaintError(_("รองรับเฉพาะไฟล์ .xlsx หรือ .csv"), field="file")
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        raise ComplaintError(_("ไฟล์ต้องไม่เกิน 20 MB"), field="file")
    token = f"{secrets.token_hex(16)}.{name.rsplit('.', 1)[1]}"
    default_storage.save(_staging_path(token), ContentFile(upload.read()))
    return token


def _load(token: str) -> tablib.Dataset:
    if not re.fullmatch(r"[0-9a-f]{32}\.(xlsx|csv)", token):
        raise ComplaintError(_("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดใหม่"), field="file")
    path = _staging_path(token)
    if not default_storage.exists(path):
        raise ComplaintError(_("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดใหม่"), field="file")
    with default_storage.open(path, "rb") as handle:
        raw = handle.read()
    try:
        if token.endswith(".csv"):
            text = raw.decode("utf-8-sig")
            return tablib.Dataset().load(io.StringIO(text), format="csv")
        return tablib.Dataset().load(io.BytesIO(raw), format="xlsx")
    except Exception as exc:  # a broken sheet is the user's to fix, with a message
        raise ComplaintError(_("อ่านไฟล์ไม่ได้ กรุณาตรวจสอบว่าเป็นไฟล์ Excel (.xlsx) หรือ CSV (UTF-8)"),
                             field="file") from exc


def _header_map(headers: Iterable[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        label = str(header or "").strip().lower()
        for key, names in COLUMNS.items():
            if label in {n.lower() for n in names} and key not in found:
                found[key] = index
    return found


def parse_thai_date(value: object) -> dt.datetime | None:
    """Dates as Thai offices write them: 15/3/2568, 2568-03-15, 15 มี.ค. 2568 (B.E. or C.E.), or a
    cell Excel already holds as a date. Local midnight (Asia/Bangkok) when there is no time."""

    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime.combine(value, dt.time(9, 0))
    else:
        text = str(value).strip()
        day = month = year = None
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            day, month, year = (int(g) for g in m.groups())
        elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
            year, month, day = (int(g) for g in m.groups())
        else:
            parts = text.split()
            if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit():
                names = [n.lower() for n in (*MONTHS_TH, *MONTHS_TH_ABBR)]
                if parts[1].lower() in names:
                    day, month, year = int(parts[0]), names.index(parts[1].lower()) % 12 + 1, int(parts[2])
        if day is None or month is None or year is None:
            return None
        if year > 2400:
            year -= 543
        try:
            result = dt.datetime(year, month, day, 9, 0)  # noqa: DTZ001 - made aware below
        except ValueError:
            return None
    if timezone.is_naive(result):
        result = timezone.make_aware(result)
    return result


def _channel(value: str) -> str:
    value = value.strip()
    if not value:
        return Channel.WALK_IN
    for code, label in Channel.choices:
        if value.lower() in (code, str(label).lower()):
            return code
    aliases = {"ร้องด้วยตนเอง": Channel.WALK_IN, "walk-in": Channel.WALK_IN, "หนังสือ": Channel.LETTER,
               "จดหมาย": Channel.LETTER, "โทร": Channel.PHONE, "เว็บไซต์": Channel.WEB, "ไลน์": Channel.LINE,
               "1111": Channel.CENTER_1111, "ศูนย์ดำรงธรรม": Channel.CENTER_1111}
    found = aliases.get(value.lower())
    if found is None:
        raise ComplaintError(_("ไม่รู้จักช่องทาง “%(value)s”") % {"value": value}, field="channel")
    return found


def _category(value: str, categories: list[Category]) -> Category:
    value = value.strip()
    for category in categories:
        if value in (category.name_th, category.name_en, category.national_category_id):
            return category
    raise ComplaintError(_("ไม่พบหมวดเรื่อง “%(value)s” ของหน่วยงาน") % {"value": value}, field="category")


def _cell(row: tuple, columns: dict[str, int], key: str) -> object:
    index = columns.get(key)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    return "" if value is None else value


def _import_row(*, user: Actor, row: tuple, columns: dict[str, int], categories: list[Category]) -> Complaint:
    text = {key: str(_cell(row, columns, key)).strip() for key in COLUMNS}
    received = parse_thai_date(_cell(row, columns, "received"))
    if received is None:
        raise ComplaintError(_("วันที่รับเรื่องไม่ถูกต้อง (เช่น 15/03/2568)"), field="received")
    if received > timezone.now():
        raise ComplaintError(_("วันที่รับเรื่องอยู่ในอนาคต"), field="received")
    status = text["status"]
    if status.lower() not in _OPEN and status not in _FINISHED and status.lower() not in _FINISHED:
        raise ComplaintError(_("สถานะ “%(value)s” ไม่รองรับ (ใช้ รับเรื่องแล้ว, ดำเนินการแล้วเสร็จ หรือ ปิดเรื่อง)")
                             % {"value": status}, field="status")
    finished = _FINISHED.get(status) or _FINISHED.get(status.lower())
    closed = parse_thai_date(_cell(row, columns, "closed")) if text["closed"] else None
    if text["closed"] and closed is None:
        raise ComplaintError(_("วันที่ปิดเรื่องไม่ถูกต้อง"), field="closed")
    complainant = None
    if text["name"]:
        complainant = Complainant(name=text["name"], phone=text["phone"], email=text["email"],
                                  address=text["address"])
    category = _category(text["category"], categories)
    if category.national_category.sla_class in OVERSIGHT_CLASSES:
        # The body never holds a conduct case in its register: the oversight office handles them.
        raise ComplaintError(_("เรื่องร้องเรียนพฤติกรรมเจ้าหน้าที่หรือการทุจริตนำเข้าทะเบียนของหน่วยงานไม่ได้ "
                               "สำนักงานท้องถิ่นที่กำกับดูแลเป็นผู้ดำเนินการ"), field="category")
    result = complaint_submit(
        channel=_channel(text["channel"]), category=category,
        description=text["description"], complainant=complainant, moo=text["moo"], location_text=text["location"],
        actor=user, received_at=received, notify=False)
    if finished:
        complaint_finish_historical(complaint=result.complaint, actor=user, status=finished,
                                    resolution=text["resolution"], finished_at=closed or received)
    return result.complaint


class _DryRun(Exception):
    pass


def register_import(*, user: Actor, token: str, dry_run: bool) -> ImportReport:
    """Each row through complaint_submit (historical received_at allowed; no citizen is notified of an
    old case). A dry run saves nothing; a real run imports the valid rows and reports the others."""
    if staff_role(user) != Role.ADMIN:
        raise ComplaintError(_("เฉพาะผู้ดูแลระบบของหน่วยงานเท่านั้น"))
    dataset = _load(token)
    columns = _header_map(dataset.headers or [])
    missing = [COLUMNS[k][0] for k in ("received", "category", "description") if k not in columns]
    if missing:
        raise ComplaintError(_("ไม่พบคอลัมน์: %(names)s") % {"names": ", ".join(missing)}, field="file")
    if len(dataset) > MAX_IMPORT_ROWS:
        raise ComplaintError(_("นำเข้าได้ครั้งละไม่เกิน %(max)d แถว") % {"max": MAX_IMPORT_ROWS}, field="file")
    categories = list(Category.objects.filter(is_active=True).select_related("national_category"))
    report = ImportReport()
    try:
        with transaction.atomic():
            for number, row in enumerate(dataset, start=2):  # row 1 holds the headers
                if not any(str(v or "").strip() for v in row):
                    continue
                try:
                    with transaction.atomic():
                        complaint = _import_row(user=user, row=row, columns=columns, categories=categories)
                except ComplaintError as exc:
                    report.rows.append(RowResult(number, False, str(exc.message)))
                    continue
                report.rows.append(RowResult(number, True, tracking_code="" if dry_run else complaint.tracking_code))
                if not dry_run:
                    report.imported += 1
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if not dry_run:
        default_storage.delete(_staging_path(token))
    return report
