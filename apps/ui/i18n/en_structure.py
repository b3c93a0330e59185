"""English for the staff gate and the SLA sweep's timeline entries and e-mails."""

EN_STRUCTURE: dict[str, str | tuple[str, str]] = {
    "เฉพาะเจ้าหน้าที่ของหน่วยงานนี้": "This body's staff only",
    "ขั้นตอน “%(stage)s” ใกล้ครบกำหนด (%(due)s)": "Stage “%(stage)s” is nearly due (%(due)s)",
    "ขั้นตอน “%(stage)s” เกินกำหนด (%(due)s) แจ้งผู้บริหาร": "Stage “%(stage)s” is overdue (%(due)s); executives told",
    "ขั้นตอน “%(stage)s” เกินกำหนดมาแล้ว แจ้งท้องถิ่นอำเภอ": "Stage “%(stage)s” has been overdue; district office told",
    "เรื่องร้องทุกข์ %(code)s: %(text)s": "Complaint %(code)s: %(text)s",
}
