"""English for Open311 (api/open311) and its keys (merged into EN)."""

EN_OPEN311: dict[str, str | tuple[str, str]] = {
    "อ่านอย่างเดียว": "Read only",
    "อ่านและส่งเรื่อง": "Read and submit",
    "เว้นว่างสำหรับกุญแจระดับประเทศ": "Leave empty for a national key",
    "สิทธิ์": "Access",
    "ตำบลที่เกิดเหตุ": "Subdistrict where it happened",
    "รหัสตำบลของกรมการปกครอง": "DOPA subdistrict code",
    "รหัสตำบลของกรมการปกครอง 6 หลัก เช่น 760601": "6-digit DOPA subdistrict code, e.g. 760601",
    "เลขหมู่ที่ เช่น 3": "Village number, e.g. 3",
    "true: เรื่องนี้ร้องเรียนพฤติกรรมเจ้าหน้าที่ ส่งให้ท้องถิ่นอำเภอโดยปกปิดผู้ร้อง":
        "true: a complaint about an official's conduct, sent to the district office with the complainant's "
        "identity protected",
    "ร้องเรียนพฤติกรรมเจ้าหน้าที่": "Complaint about an official's conduct",
    "jurisdiction_id: ไม่พบหน่วยงานที่เปิดให้บริการรหัสนี้": "jurisdiction_id: no body in service has this code",
    "ระบุหน่วยงานไม่ได้ กรุณาส่ง jurisdiction_id (รหัส อปท.) หรือพิกัดในพื้นที่":
        "cannot tell which body serves this place: send jurisdiction_id (the DLA code) or a point in its area",
    "api_key นี้ส่งเรื่องให้หน่วยงานนอกขอบเขตของกุญแจไม่ได้":
        "this api_key cannot submit to a body outside the key's scope",
    "กรุณาระบุ service_code": "service_code is required",
    "service_code: ไม่พบบริการนี้ในหน่วยงาน": "service_code: this body has no such service",
    "ใช้ได้เฉพาะ true หรือ false": "must be true or false",
    "หน่วยงานนี้ไม่มีหมวดร้องเรียนพฤติกรรมเจ้าหน้าที่": "this body has no category for conduct complaints",
    "กรุณาระบุพิกัด (lat และ long) หรือ address_string": "give a location (lat and long) or address_string",
    "เลขติดตามเรื่อง %(code)s": "Tracking code %(code)s",
    "(รหัส PIN สำหรับติดตามเรื่อง %(pin)s)": "(PIN to follow the case %(pin)s)",
    "api_key ไม่ถูกต้องหรือถูกยกเลิกแล้ว": "invalid or revoked api_key",
    "ต้องระบุ api_key เพื่อส่งเรื่อง": "an api_key is required to submit a request",
    "api_key นี้อ่านได้อย่างเดียว ส่งเรื่องไม่ได้": "this api_key is read-only and cannot submit requests",
    "ส่งคำขอถี่เกินกำหนด กรุณารอสักครู่แล้วลองใหม่": "too many requests: wait a moment and try again",
    "กรุณาตั้งชื่อระบบที่จะใช้กุญแจนี้": "Name the system that will use this key",
    "สิทธิ์ไม่ถูกต้อง": "Invalid access",
    "ไม่พบกุญแจ": "Key not found",
    "รูปแบบไม่ถูกต้อง (รหัส อปท. 7 หลัก-เลขเรื่อง เช่น 5760601-12)":
        "invalid format (7-digit DLA code, a hyphen and the case number, e.g. 5760601-12)",
    "วันเวลาไม่ถูกต้อง (ใช้รูปแบบ W3C เช่น 2026-01-31T17:00:00+07:00)":
        "invalid date-time (use the W3C format, e.g. 2026-01-31T17:00:00+07:00)",
    "ต้องเป็นจำนวนเต็มบวก": "must be a positive whole number",
    "ต้องไม่เกิน %(max)d": "must be at most %(max)d",
    "ขอได้ครั้งละไม่เกิน %(max)d เรื่อง": "at most %(max)d requests at a time",
    "ใช้ได้เฉพาะ open หรือ closed": "must be open or closed",
    "ต้องหลัง start_date": "must be after start_date",
    "พิกัดต้องเป็นตัวเลขทศนิยม (WGS84) ทั้ง lat และ long": "lat and long must both be decimal numbers (WGS84)",
    "ชื่อระบบที่จะใช้กุญแจ": "System that will use the key",
    "ยกเลิกกุญแจ %(name)s แล้ว": "Key %(name)s revoked",
    "ไม่พบรายการที่ขอ": "not found",
    "ไม่รองรับวิธีเรียกนี้": "method not allowed",
    "ส่งข้อมูลเป็น application/x-www-form-urlencoded หรือ JSON":
        "send application/x-www-form-urlencoded or JSON",
    "คำขอไม่ถูกต้อง": "bad request",
    "กุญแจออกโดยกรมส่งเสริมการปกครองท้องถิ่นในหน้าผู้ดูแลระบบระดับประเทศ":
        "Keys are issued by the Department of Local Administration in the national admin",
    "ผู้ดูแลระบบของหน่วยงาน (เว็บไซต์ของหน่วยงาน)": "The body's administrator (see the body's website)",
    "กรมส่งเสริมการปกครองท้องถิ่น": "Department of Local Administration",
    "service_code: ไม่พบบริการนี้": "service_code: no such service",
    "service_request_id: ไม่พบเรื่องนี้": "service_request_id: no such request",
    "token: ไม่พบ": "token: not found",
    "กุญแจ Open311": "Open311 keys",
    "ระบบอื่น (เช่น Traffy Fondue แอปพลิเคชัน หรือระบบของหน่วยงาน) ส่งและอ่านเรื่องของหน่วยงานผ่านมาตรฐาน Open311 GeoReport v2 ที่":  # noqa: E501
        "Other systems (Traffy Fondue, apps, the body's own systems) submit and read the body's cases "
        "through Open311 GeoReport v2 at",
    "กุญแจใหม่ (แสดงครั้งเดียว เก็บไว้ให้ปลอดภัย)": "New key (shown once: keep it safe)",
    "รหัสขึ้นต้น": "Prefix",
    "ใช้ล่าสุด": "Last used",
    "ยกเลิกแล้ว": "Revoked",
    "ยกเลิกกุญแจ": "Revoke",
    "ยังไม่มีกุญแจ": "No keys yet",
    "ออกกุญแจใหม่": "Issue a new key",
    "ออกกุญแจ": "Issue key",
    "ลิงก์รูปภาพไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)":
        "Invalid photo link (it must start with http:// or https://)",
    "Open311 / API": "Open311 / API",
    "client_ticket_id: ค้นได้เฉพาะที่ endpoint ของหน่วยงาน พร้อม api_key ที่ส่งเรื่อง":
        "client_ticket_id: look-ups only on the body's endpoint, with the api_key that submitted the request",
}
