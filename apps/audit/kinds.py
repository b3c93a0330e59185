"""The kinds of audit entry, with their labels. A kind is `<noun>.<verb>`; the noun is the group
the staff audit page filters by.

Kinds are plain strings in the table (no `choices`), so a new kind needs no migration; it only
needs its label here, and audit_record refuses a kind that is not listed (a typo would otherwise
hide an entry from every filter)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, Promise] = {
    # A body's own configuration (the body's schema).
    "department.create": _("เพิ่มกอง/สำนัก"),
    "department.update": _("แก้ไขกอง/สำนัก"),
    "category.create": _("เพิ่มหมวดเรื่อง"),
    "category.update": _("แก้ไขหมวดเรื่อง"),
    "staff.create": _("เพิ่มบัญชีเจ้าหน้าที่"),
    "staff.update": _("แก้ไขบัญชีเจ้าหน้าที่/บทบาท"),
    "calendar.create": _("เพิ่มวันปิดทำการ"),
    "calendar.delete": _("ลบวันปิดทำการ"),
    "calendar.update": _("แก้ไขวันปิดทำการ"),
    "calendar.hours": _("แก้ไขเวลาทำการและวันทำการ"),
    "sla.draft_create": _("สร้างร่างข้อตกลงระดับการให้บริการ"),
    "sla.row_set": _("แก้ไขระยะเวลาในร่างข้อตกลง"),
    "sla.draft_update": _("แก้ไขรายละเอียดร่างข้อตกลง"),
    "sla.publish": _("ประกาศข้อตกลงระดับการให้บริการ"),
    "sla.signed_copy": _("แนบประกาศฉบับลงนาม"),
    "profile.update": _("แก้ไขข้อมูลหน่วยงาน"),
    "line.connect": _("เชื่อมต่อบัญชี LINE Official Account"),
    "line.update": _("แก้ไขการเชื่อมต่อบัญชี LINE Official Account"),
    "notification.settings": _("แก้ไขผู้ให้บริการและช่วงงดส่งข้อความถึงผู้ร้อง"),
    "retention.update": _("แก้ไขระยะเวลาเก็บรักษาข้อมูล"),
    "retention.anonymise": _("ลบข้อมูลระบุตัวผู้ร้องเมื่อครบระยะเวลาเก็บรักษา"),
    "data_request.create": _("บันทึกคำขอของเจ้าของข้อมูล"),
    "data_request.access": _("ส่งออกข้อมูลตามคำขอเข้าถึง"),
    "data_request.erase": _("ลบข้อมูลระบุตัวตามคำขอ"),
    "data_request.refuse": _("ปฏิเสธคำขอของเจ้าของข้อมูล"),
    "token.create": _("ออกโทเคนสำหรับ API"),
    "token.revoke": _("ยกเลิกโทเคนสำหรับ API"),
    "webhook.create": _("ลงทะเบียนปลายทาง webhook"),
    "webhook.update": _("แก้ไขปลายทาง webhook"),
    "webhook.secret": _("ออกรหัสลับ webhook ใหม่"),
    # Accounts (either schema).
    "account.login": _("เข้าสู่ระบบ"),
    "account.logout": _("ออกจากระบบ"),
    "account.login_failed": _("เข้าสู่ระบบไม่สำเร็จ"),
    "account.locked": _("บัญชีถูกระงับชั่วคราว"),
    "account.session_expired": _("หมดเวลาการใช้งาน"),
    "account.password_reset_request": _("ขอตั้งรหัสผ่านใหม่"),
    "account.password_reset": _("ตั้งรหัสผ่านใหม่"),
    "account.password_change": _("เปลี่ยนรหัสผ่าน"),
    "account.otp_enable": _("เปิดใช้การยืนยันตัวตนสองขั้นตอน"),
    "account.otp_disable": _("ปิดการยืนยันตัวตนสองขั้นตอน"),
    "account.otp_verify": _("ยืนยันตัวตนขั้นที่สองสำเร็จ"),
    "account.otp_failed": _("ยืนยันตัวตนขั้นที่สองไม่สำเร็จ"),
    "account.recovery_code_use": _("ใช้รหัสกู้คืน"),
    "account.otp_reset": _("รีเซ็ตการยืนยันตัวตนสองขั้นตอน (ผู้ใช้ต้องลงทะเบียนใหม่)"),
    # The platform (public schema).
    "body.create": _("เพิ่มหน่วยงาน"),
    "body.update": _("แก้ไขหน่วยงาน"),
    "body.status": _("เปลี่ยนสถานะหน่วยงาน"),
    "body.import": _("นำเข้าทะเบียนหน่วยงาน"),
    "body.export": _("ส่งออกข้อมูลสำรองของหน่วยงาน"),
    "body.restore": _("นำข้อมูลสำรองของหน่วยงานกลับเข้าระบบ"),
    "body.rename": _("เปลี่ยนชื่อหน่วยงาน"),
    "body.upgrade": _("ยกฐานะหน่วยงาน (รหัส อปท. ใหม่)"),
    "body.merge": _("รวมหน่วยงาน"),
    "body.service_area": _("แก้ไขพื้นที่ให้บริการของหน่วยงาน"),
    "domain.add": _("เพิ่มโดเมนของหน่วยงาน"),
    "domain.remove": _("ลบโดเมนของหน่วยงาน"),
    "domain.claim": _("ขอใช้โดเมนของหน่วยงาน (รอยืนยัน)"),
    "domain.verify": _("ยืนยันโดเมนของหน่วยงานแล้ว"),
    "domain.primary": _("เปลี่ยนโดเมนหลักของหน่วยงาน"),
    "api_key.create": _("ออกกุญแจ API"),
    "api_key.update": _("แก้ไขกุญแจ API"),
    "api_key.revoke": _("ยกเลิกกุญแจ API"),
    "directive.create": _("ออกข้อสั่งการ"),
    "directive.update": _("แก้ไขข้อสั่งการ"),
    "directive.delete": _("ลบข้อสั่งการ"),
    "directive.acknowledge": _("ตอบรับทราบหนังสือสั่งการ"),
    "framework.create": _("เพิ่มกรอบข้อตกลงระดับประเทศ"),
    "framework.update": _("แก้ไขกรอบข้อตกลงระดับประเทศ"),
    "framework.delete": _("ลบกรอบข้อตกลงระดับประเทศ"),
    "framework.import": _("นำเข้าเกณฑ์ระดับประเทศ"),
    "day_off.create": _("เพิ่มวันหยุดราชการเพิ่มเติม"),
    "day_off.update": _("แก้ไขวันหยุดราชการเพิ่มเติม"),
    "day_off.delete": _("ลบวันหยุดราชการเพิ่มเติม"),
    "oversight_profile.create": _("เพิ่มสิทธิ์ผู้กำกับดูแล"),
    "oversight_profile.update": _("แก้ไขสิทธิ์ผู้กำกับดูแล"),
    "oversight_profile.delete": _("ลบสิทธิ์ผู้กำกับดูแล"),
    "user.create": _("เพิ่มผู้ใช้"),
    "user.update": _("แก้ไขผู้ใช้"),
    "user.delete": _("ลบผู้ใช้"),
    "invitation.create": _("เชิญผู้ดูแลระบบของหน่วยงาน"),
    "invitation.resend": _("ส่งคำเชิญผู้ดูแลระบบอีกครั้ง"),
    "invitation.revoke": _("ยกเลิกคำเชิญผู้ดูแลระบบ"),
    "invitation.claim": _("รับคำเชิญเป็นผู้ดูแลระบบ"),
    "invitation.import": _("เชิญผู้ดูแลระบบจากไฟล์"),
    "reminder.send": _("เตือนหน่วยงานให้เริ่มใช้งาน"),
    "admin.create": _("เพิ่มข้อมูลในหน้าผู้ดูแลระบบ"),
    "admin.update": _("แก้ไขข้อมูลในหน้าผู้ดูแลระบบ"),
    "admin.delete": _("ลบข้อมูลในหน้าผู้ดูแลระบบ"),
}

GROUPS: dict[str, Promise] = {
    "department": _("กอง/สำนัก"),
    "category": _("หมวดเรื่อง"),
    "staff": _("เจ้าหน้าที่และบทบาท"),
    "calendar": _("วันปิดทำการ"),
    "sla": _("ข้อตกลงระดับการให้บริการ"),
    "profile": _("ข้อมูลหน่วยงาน"),
    "retention": _("การเก็บรักษาข้อมูล"),
    "data_request": _("คำขอของเจ้าของข้อมูล"),
    "directive": _("หนังสือสั่งการ"),
    "line": _("บัญชี LINE Official Account"),
    "notification": _("การแจ้งผู้ร้อง"),
    "api_key": _("กุญแจ API"),
    "token": _("โทเคนสำหรับ API"),
    "webhook": _("Webhook"),
    "account": _("การเข้าสู่ระบบ"),
    "invitation": _("คำเชิญผู้ดูแลระบบ"),
}


def kind_label(kind: str) -> str:
    label = KINDS.get(kind)
    return str(label) if label is not None else kind
