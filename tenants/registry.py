"""Reading the DLA registry CSV as published ("ชื่อและที่ตั้งองค์กรปกครองส่วนท้องถิ่น", dlads_05_01).

The file's quirks (tenants/data/SOURCES.md) are handled here: Thai headers, spreadsheet date damage
in address cells ("31-ม.ค."), malformed web sites ("www,tlpm.go.th"), "-" for empty, missing
postcodes and coordinates. A row that cannot become a body is reported with its line number and
the reason; the rest go on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from apps.ui.normalise import Refused, ascii_digits, normalise
from tenants.models import BodyKind, District, Province

KIND_BY_TYPE = {
    "อบจ.": BodyKind.PAO,
    "องค์การบริหารส่วนจังหวัด": BodyKind.PAO,
    "เทศบาลนคร": BodyKind.CITY,
    "เทศบาลเมือง": BodyKind.TOWN,
    "เทศบาลตำบล": BodyKind.SUBDISTRICT_MUNICIPALITY,
    "อบต.": BodyKind.SAO,
    "องค์การบริหารส่วนตำบล": BodyKind.SAO,
    "ท้องถิ่นรูปแบบพิเศษ": BodyKind.SPECIAL,
}

COLUMNS = {
    "province": "จังหวัด",
    "district": "อำเภอ",
    "code": "รหัส อปท.",
    "type": "ประเภท อปท.",
    "name": "อปท.",
    "address": "ที่ตั้งสำนักงานเลขที่",
    "moo": "หมู่ที่",
    "postcode": "รหัสไปรษณีย์",
    "area": "ขนาดพื้นที่",
    "lat": "LAT",
    "lng": "LONG",
    "website": "เว็ปไซต์ของอปท",
}
# Spellings seen in other copies of the same data set.
HEADER_ALIASES = {
    "ขนาดพื้นที่ (km²)": "ขนาดพื้นที่",
    "เว็บไซต์ของอปท": "เว็ปไซต์ของอปท",
    "เว็บไซต์ของ อปท.": "เว็ปไซต์ของอปท",
    "รหัสอปท.": "รหัส อปท.",
    "lat": "LAT",
    "long": "LONG",
}

_CODE = re.compile(r"^[2-6]\d{6}$")
MAX_NAME = 200  # LocalBody.name_th
_DATE_DAMAGE = re.compile(r"^\d{1,2}-[ก-๙]{1,4}\.?[ก-๙]*\.?$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_THAI_BOUNDS = ((Decimal("5.5"), Decimal("20.6")), (Decimal("97.3"), Decimal("105.7")))


@dataclass
class RegistryRow:
    line: int
    dla_code: str
    kind: str
    name_th: str
    province_code: str
    district_code: str
    address: str = ""
    moo: str = ""
    postcode: str = ""
    area_km2: Decimal | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    website: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RowError:
    line: int
    dla_code: str
    reason: str

    def __str__(self) -> str:
        code = f" ({self.dla_code})" if self.dla_code else ""
        return f"บรรทัด {self.line}{code}: {self.reason}"


def _blank(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value in {"-", "–", "—", "N/A", "n/a"} else value


def clean_address(value: str) -> str:
    value = _blank(value)
    # "1-ม.ค." is a house number a spreadsheet turned into a date; the number is lost.
    return "" if _DATE_DAMAGE.match(value) else value


def clean_website(value: str) -> str:
    value = _blank(value).lower()
    if not value:
        return ""
    value = re.sub(r"^https?://", "", value).rstrip("/")
    host, _, path = value.partition("/")
    host = re.sub(r"[,\s]+", ".", host).strip(".")
    if not _HOST.match(host):
        return ""
    return f"http://{host}" + (f"/{path}" if path else "")


def _decimal(value: str) -> Decimal | None:
    value = ascii_digits(_blank(value)).replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None  # NaN, Infinity: no figure


def _coordinates(lat: str, lng: str) -> tuple[Decimal | None, Decimal | None]:
    latitude, longitude = _decimal(lat), _decimal(lng)
    if latitude is None or longitude is None:
        return None, None
    (lat_lo, lat_hi), (lng_lo, lng_hi) = _THAI_BOUNDS
    if not (lat_lo <= latitude <= lat_hi and lng_lo <= longitude <= lng_hi):
        return None, None
    return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path}: not UTF-8 nor TIS-620/CP874 text")


def _normalise_header(name: str) -> str:
    name = name.strip().lstrip("\ufeff")
    return HEADER_ALIASES.get(name, HEADER_ALIASES.get(name.lower(), name))


class Geography:
    """Thai-name lookups for provinces and districts, loaded once per import."""

    def __init__(self) -> None:
        self.provinces = {p.name_th: p.code for p in Province.objects.all()}
        self.districts: dict[tuple[str, str], str] = {}
        for d in District.objects.all():
            self.districts[(d.province_id, d.name_th)] = d.code

    def province(self, name: str) -> str | None:
        name = name.removeprefix("จังหวัด").strip()
        return self.provinces.get(name)

    def district(self, province_code: str, name: str) -> str | None:
        name = name.strip()
        for candidate in (name, name.removeprefix("อำเภอ"), name.removeprefix("เขต"), f"เมือง{name}"):
            code = self.districts.get((province_code, candidate.strip()))
            if code:
                return code
        return None


def parse_rows(records: Iterable[dict[str, str]], geography: Geography, *, first_line: int = 2
               ) -> Iterator[RegistryRow | RowError]:
    seen: dict[str, int] = {}
    for line, record in enumerate(records, start=first_line):
        row: dict[str, str] = {}
        refused = ""
        for key, value in record.items():
            header = _normalise_header(str(key or ""))
            try:
                # Every cell through the one normalisation step (apps.ui.normalise), one line each.
                row[header] = normalise(str(value or "") if not isinstance(value, list) else " ".join(value),
                                        kind="line")
            except Refused as error:
                refused = f"คอลัมน์ “{header[:40]}”: {error.message}"
                break
        code = ascii_digits(_blank(row.get(COLUMNS["code"]))).replace(" ", "")
        if refused:
            yield RowError(line, code if _CODE.match(code) else "", refused)
            continue
        if not _CODE.match(code):
            yield RowError(line, code, f"รหัส อปท. ต้องเป็นตัวเลข 7 หลักขึ้นต้นด้วย 2–6 ได้รับ {code!r}")
            continue
        if code in seen:
            yield RowError(line, code, f"รหัส อปท. ซ้ำกับบรรทัด {seen[code]}")
            continue
        kind = KIND_BY_TYPE.get(_blank(row.get(COLUMNS["type"])))
        if kind is None:
            yield RowError(line, code, f"ไม่รู้จักประเภท อปท. {row.get(COLUMNS['type'], '')!r}")
            continue
        name = normalise(_blank(row.get(COLUMNS["name"])), kind="name")
        if not name:
            yield RowError(line, code, "ไม่มีชื่อ อปท.")
            continue
        if len(name) > MAX_NAME:
            yield RowError(line, code, f"ชื่อ อปท. ยาวเกิน {MAX_NAME} ตัวอักษร ({len(name)} ตัวอักษร)")
            continue
        province_code = geography.province(_blank(row.get(COLUMNS["province"])))
        if province_code is None:
            yield RowError(line, code, f"ไม่พบจังหวัด {row.get(COLUMNS['province'], '')!r}")
            continue
        district_code = geography.district(province_code, _blank(row.get(COLUMNS["district"])))
        if district_code is None:
            yield RowError(line, code, f"ไม่พบอำเภอ {row.get(COLUMNS['district'], '')!r} ในจังหวัดนี้")
            continue
        seen[code] = line
        latitude, longitude = _coordinates(row.get(COLUMNS["lat"], ""), row.get(COLUMNS["lng"], ""))
        postcode = ascii_digits(_blank(row.get(COLUMNS["postcode"])))
        area = _decimal(row.get(COLUMNS["area"], ""))
        yield RegistryRow(
            line=line,
            dla_code=code,
            kind=kind,
            name_th=name,
            province_code=province_code,
            district_code=district_code,
            address=clean_address(row.get(COLUMNS["address"], ""))[:200],
            moo=_blank(row.get(COLUMNS["moo"]))[:20],
            postcode=postcode if re.fullmatch(r"\d{5}", postcode) else "",
            area_km2=area if area is not None and Decimal(0) < area < Decimal(10**6) else None,
            latitude=latitude,
            longitude=longitude,
            website=clean_website(row.get(COLUMNS["website"], ""))[:200],
        )


def read_registry(path: Path, geography: Geography | None = None) -> Iterator[RegistryRow | RowError]:
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise ValueError(f"{path}: empty file")
    headers = {_normalise_header(h) for h in reader.fieldnames}
    missing = [c for c in (COLUMNS["code"], COLUMNS["type"], COLUMNS["name"], COLUMNS["province"],
                           COLUMNS["district"]) if c not in headers]
    if missing:
        raise ValueError(f"{path}: ไม่พบคอลัมน์ {', '.join(missing)} (not the DLA registry format)")
    return parse_rows(reader, geography or Geography())
