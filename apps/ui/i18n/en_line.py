"""English for the LINE chat and the LINE account page (merged into EN). Quick reply labels
stay within LINE's 20 characters."""

EN_LINE: dict[str, str | tuple[str, str]] = {
    "เชื่อมต่อบัญชี LINE Official Account": "LINE Official Account connected",
    "แก้ไขการเชื่อมต่อบัญชี LINE Official Account": "LINE Official Account connection changed",
    "Channel ID": "Channel ID",
    "Channel secret": "Channel secret",
    "Channel access token (long-lived)": "Channel access token (long-lived)",
    "กำหนดถัดไป: %(stage)s ภายใน %(due)s": "Next deadline: %(stage)s by %(due)s",
    "Channel ID ต้องเป็นตัวเลข": "The Channel ID must be a number",
    "กรุณากรอก Channel secret และ Channel access token": "Please enter the Channel secret and Channel access token",
    "Channel secret และ Channel access token ถูกเข้ารหัสเก็บไว้และจะไม่แสดงอีก เว้นว่างไว้หากไม่ต้องการเปลี่ยน":
        "The Channel secret and Channel access token are stored encrypted and never shown again. "
        "Leave them empty to keep them.",
    "Webhook URL (วางในหน้า Messaging API ของ LINE Developers Console และเปิด Use webhook)":
        "Webhook URL (paste it on the Messaging API tab of the LINE Developers Console and turn on Use webhook)",
    "กรุณาให้คะแนนความพึงพอใจ 1–5 หรือขอเปิดเรื่องใหม่หากยังไม่เรียบร้อย":
        "Please rate the service from 1 to 5, or ask to reopen the case if it is not fixed",
    "ตอบกลับในแชตนี้ได้เลย เป็นข้อความหรือรูปภาพ": "You can answer in this chat, with text or photos",
    "แจ้งเรื่อง": "File a complaint",
    "เรื่องของฉัน": "My cases",
    "ข้อตกลงบริการ": "Service agreement",
    "หมวดอื่น ๆ": "More categories",
    "ยกเลิก": "Cancel",
    "เลือกหมวดเรื่องที่ต้องการแจ้ง": "Choose the category of your complaint",
    "ถ่ายรูป": "Take a photo",
    "เลือกรูป": "Choose a photo",
    "ส่งตำแหน่ง": "Send location",
    "ตรวจทานและส่ง": "Review and send",
    "ตรวจทานเรื่องที่จะแจ้ง\nหมวด: %(category)s\nรายละเอียด: %(description)s\nรูปภาพ: %(photos)d รูป\n"
    "ตำแหน่ง: %(location)s\n\nข้อมูลของท่านใช้เพื่อดำเนินการเรื่องนี้และติดต่อกลับเท่านั้น":
        "Please review your complaint\nCategory: %(category)s\nDetails: %(description)s\nPhotos: %(photos)d\n"
        "Location: %(location)s\n\nYour data is used only to handle this complaint and to contact you about it",
    "ไม่ได้ระบุ": "not given",
    "ยืนยันส่งเรื่อง": "Send complaint",
    "แก้ไขต่อ": "Keep editing",
    "หน่วยงานจะดำเนินการภายใน": "The body will act by",
    "ติดตามเรื่องบนเว็บไซต์": "Follow on the web",
    "รับเรื่องแล้ว เลขติดตามเรื่อง %(code)s": "Received: tracking code %(code)s",
    "ให้คะแนน %(n)d": "Rating %(n)d",
    "ขอเปิดเรื่องใหม่": "Reopen the case",
    "บัญชี LINE Official Account": "LINE Official Account",
    "ท่านยังไม่มีเรื่องที่แจ้งผ่าน LINE กับหน่วยงานนี้": "You have no cases filed on LINE with this body yet",
    "เรื่องของท่าน %(n)d เรื่องล่าสุด": "Your %(n)d latest cases",
    "Channel secret ต้องเป็นเลขฐานสิบหก 32 หลัก": "The Channel secret must be 32 hexadecimal digits",
    "Channel access token ไม่ถูกต้อง": "The Channel access token is not valid",
    "เรื่องที่ท่านแจ้งค้างไว้หมดเวลาแล้ว (ไม่ได้ดำเนินการต่อภายใน %(minutes)d นาที) ยังไม่ได้ส่งถึงหน่วยงาน "
    "กรุณาเริ่มแจ้งเรื่องใหม่":
        "Your unfinished complaint has expired (nothing happened for %(minutes)d minutes) and was not sent to "
        "the body. Please start again",
    "เลือกเมนูด้านล่าง": "Choose from the menu below",
    "ยินดีต้อนรับสู่บริการรับเรื่องร้องทุกข์ของ %(body)s "
    "แจ้งเรื่อง ติดตามเรื่อง หรืออ่านข้อตกลงระดับการให้บริการได้ที่เมนูด้านล่าง":
        "Welcome to the complaint service of %(body)s. File or follow a complaint, or read the service level "
        "agreement, from the menu below",
    "ขออภัย บัญชีนี้รับได้เฉพาะข้อความ รูปภาพ และตำแหน่งที่ตั้ง":
        "Sorry, this account takes only text, photos and locations",
    "กรุณาพิมพ์รายละเอียดเรื่องที่ต้องการแจ้ง": "Please type what the problem is",
    "ส่งรูปภาพได้ไม่เกิน %(max)d รูป และส่งตำแหน่งที่เกิดเหตุ แล้วกด “ตรวจทานและส่ง”":
        "Send up to %(max)d photos and the location of the problem, then tap “Review and send”",
    "กรุณาพิมพ์เหตุผลที่ขอเปิดเรื่องใหม่": "Please type why the case should be reopened",
    "ยกเลิกแล้ว": "Cancelled",
    "ข้อตกลงระดับการให้บริการของ %(body)s: %(url)s": "Service level agreement of %(body)s: %(url)s",
    "เปลี่ยนภาษาแล้ว ข้อความจากหน่วยงานจะส่งเป็นภาษาไทย":
        "Language changed: messages from the body will be sent in English",
    "เรื่องนี้ขอเปิดใหม่ไม่ได้": "This case cannot be reopened",
    "ปุ่มนี้ใช้ไม่ได้แล้ว": "This button no longer works",
    "ปุ่มนี้ใช้ไม่ได้แล้ว เลือกเมนูด้านล่าง": "This button no longer works. Choose from the menu below",
    "ขอบคุณสำหรับการประเมิน (%(n)d จาก 5) เรื่อง %(code)s": "Thank you for rating %(code)s (%(n)d of 5)",
    "เพิ่มรายละเอียดแล้ว": "Details added",
    "เปิดเรื่อง %(code)s ใหม่แล้ว หน่วยงานจะดำเนินการต่อ": "%(code)s is reopened; the body will act on it again",
    "สวัสดีครับ เลือกเมนูด้านล่างเพื่อแจ้งเรื่องหรือติดตามเรื่อง":
        "Hello. Choose from the menu below to file or follow a complaint",
    "ส่งข้อมูลเพิ่มเติมเรื่อง %(code)s ถึงหน่วยงานแล้ว": "Your answer on %(code)s has been sent to the body",
    "รับรูปภาพจาก LINE ไม่สำเร็จ กรุณาส่งใหม่อีกครั้ง": "The photo could not be received from LINE. Please send it again",
    "ส่งได้เฉพาะรูปภาพ": "Only photos can be sent",
    "หากต้องการแจ้งเรื่องพร้อมรูปภาพ กรุณากด “แจ้งเรื่อง” ก่อน":
        "To file a complaint with photos, tap “File a complaint” first",
    "ส่งรูปภาพเพิ่มเติมทาง LINE": "Sent more photos on LINE",
    "แนบรูปภาพได้ไม่เกิน %(max)d รูป": "At most %(max)d photos",
    "ได้รับรูปภาพแล้ว (%(n)d/%(max)d) กรุณาพิมพ์รายละเอียดเรื่อง":
        "Photo received (%(n)d/%(max)d). Please type what the problem is",
    "ได้รับรูปภาพแล้ว (%(n)d/%(max)d)": "Photo received (%(n)d/%(max)d)",
    "หากต้องการแจ้งเรื่อง กรุณากด “แจ้งเรื่อง” ก่อน": "To file a complaint, tap “File a complaint” first",
    "ได้รับตำแหน่งแล้ว กรุณาพิมพ์รายละเอียดเรื่อง": "Location received. Please type what the problem is",
    "ได้รับตำแหน่งแล้ว": "Location received",
    "ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้": "You will be told about progress in this chat",
    "เชื่อมต่อแล้ว": "Connected",
    "แก้ไขล่าสุด": "last changed",
    "ยังไม่ได้เชื่อมต่อ": "Not connected",
    "บันทึกการเชื่อมต่อ LINE แล้ว": "LINE connection saved",
    "เรื่องที่ไม่ประสงค์ออกนามติดตามทาง LINE ไม่ได้ เพื่อไม่ให้เปิดเผยตัวผู้ร้อง":
        "An anonymous case cannot be followed on LINE: that would reveal who filed it",
    "กรุณาพิมพ์เลขโทรศัพท์ 4 หลักท้ายที่ให้ไว้ตอนแจ้งเรื่อง หรือรหัส PIN ที่ได้รับ เพื่อยืนยันว่าเป็นเรื่องของท่าน":
        "Please type the last 4 digits of the phone number you gave, or the PIN you received, to show the case "
        "is yours",
    "ลองยืนยันบ่อยเกินไป กรุณารอ 15 นาทีแล้วลองใหม่": "Too many tries. Please wait 15 minutes and try again",
    "ไม่พบเรื่อง หรือข้อมูลยืนยันไม่ถูกต้อง กรุณาพิมพ์เลขติดตามเรื่องอีกครั้ง":
        "Case not found, or the confirmation is wrong. Please type the tracking code again",
    "ติดตามเรื่อง %(code)s ทาง LINE แล้ว ท่านจะได้รับแจ้งความคืบหน้าทางแชตนี้":
        "You now follow %(code)s on LINE: progress will be told in this chat",
    "%(body)s เปิดเรื่อง %(code)s ใหม่เพื่อดำเนินการต่อ: %(text)s": "%(body)s has reopened complaint %(code)s: %(text)s",
}
