"""English for the refusals of hostile or malformed input (apps.ui.normalise, rongthuk.inputs,
api.parsers, attachments) and for Django's and DRF's own messages where they pass through."""

EN_INPUTS: dict[str, str | tuple[str, str]] = {
    "มีอักขระ NUL ซึ่งไม่อนุญาต": "contains a NUL character, which is not allowed",
    "มีอักขระควบคุมซึ่งไม่อนุญาต": "contains a control character, which is not allowed",
    "มีอักขระกลับทิศทางข้อความ (bidi override) ซึ่งไม่อนุญาต":
        "contains a bidirectional override character, which is not allowed",
    "มีเครื่องหมายวรรณยุกต์หรือสระซ้อนกันมากผิดปกติ": "has an abnormal pile of stacked vowel or tone marks",
    "ต้องเป็นข้อความบรรทัดเดียว": "must be a single line",
    "ข้อมูล JSON ซ้อนกันลึกเกิน %(max)d ชั้น": "the JSON is nested deeper than %(max)d levels",
    "ช่อง “%(field)s”: %(reason)s": "Field “%(field)s”: %(reason)s",
    "%(label)s: %(reason)s": "%(label)s: %(reason)s",
    "ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด": "What was sent is larger than allowed",
    "ข้อมูล JSON ไม่ถูกต้อง (ต้องเป็น JSON UTF-8 และไม่มีค่า NaN หรือ Infinity)":
        "Invalid JSON (it must be UTF-8 JSON without NaN or Infinity)",
    "รูปภาพ “%(name)s” ใหญ่เกิน %(max)d ล้านพิกเซล จึงไม่ได้บันทึก":
        "The image “%(name)s” is larger than %(max)d megapixels and was not saved",
    "ไฟล์ PDF “%(name)s” มีสคริปต์ คำสั่งอัตโนมัติ ไฟล์แนบซ่อน หรือการเข้ารหัส จึงไม่ได้บันทึก "
    "กรุณาบันทึกเป็น PDF ใหม่ (สั่งพิมพ์ → บันทึกเป็น PDF) แล้วแนบอีกครั้ง":
        "The PDF “%(name)s” contains scripts, automatic actions, hidden attachments or encryption and was not "
        "saved. Please save it again as a PDF (Print → Save as PDF) and attach it again",
    "ข้อความแจ้งรับเรื่อง": "Acknowledgement message",
}
