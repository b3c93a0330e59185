"""Thai for the messages of Django and Django REST framework that their own Thai catalogues leave in
English (Django's Thai is about three quarters complete, DRF's half). Our own strings are Thai at
the source; these are the library messages a form or an API refusal can show.

`python -m apps.ui.i18n.build` writes them to locale/th/LC_MESSAGES/django.po and compiles the .mo
(LOCALE_PATHS comes before the libraries' catalogues). Keys are the libraries' msgids; a plural
msgid maps to one Thai text (Thai has one plural form).
"""

TH: dict[str, str] = {
    # django.core.validators, django.forms
    "Enter a valid integer.": "กรุณากรอกจำนวนเต็มที่ถูกต้อง",
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.":
        "กรุณากรอกรหัสที่ประกอบด้วยตัวอักษรภาษาอังกฤษ ตัวเลข ขีดล่าง หรือขีดกลางเท่านั้น",
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.":
        "กรุณากรอกรหัสที่ประกอบด้วยตัวอักษร ตัวเลข ขีดล่าง หรือขีดกลางเท่านั้น",
    "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).":
        "ต้องมีความยาวอย่างน้อย %(limit_value)d ตัวอักษร (ขณะนี้มี %(show_value)d ตัวอักษร)",
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).":
        "ต้องมีความยาวไม่เกิน %(limit_value)d ตัวอักษร (ขณะนี้มี %(show_value)d ตัวอักษร)",
    "Ensure that there are no more than %(max)s digit in total.": "ต้องมีตัวเลขรวมกันไม่เกิน %(max)s หลัก",
    "Ensure that there are no more than %(max)s decimal place.": "ต้องมีทศนิยมไม่เกิน %(max)s ตำแหน่ง",
    "Ensure that there are no more than %(max)s digit before the decimal point.":
        "ต้องมีตัวเลขหน้าจุดทศนิยมไม่เกิน %(max)s หลัก",
    "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s.":
        "ไม่รับไฟล์นามสกุล “%(extension)s” นามสกุลที่รับได้คือ %(allowed_extensions)s",
    "Null characters are not allowed.": "มีอักขระ NUL ซึ่งไม่อนุญาต",
    "Ensure this filename has at most %(max)d character (it has %(length)d).":
        "ชื่อไฟล์ต้องยาวไม่เกิน %(max)d ตัวอักษร (ขณะนี้มี %(length)d ตัวอักษร)",
    "Enter a complete value.": "กรุณากรอกข้อมูลให้ครบ",
    "(Hidden field %(name)s) %(error)s": "(ช่องที่ซ่อนอยู่ %(name)s) %(error)s",
    "ManagementForm data is missing or has been tampered with": "ข้อมูลของแบบฟอร์มไม่ครบหรือถูกแก้ไข",
    "Please submit %d or fewer forms.": "กรุณาส่งไม่เกิน %d รายการ",
    "Please submit %d or more forms.": "กรุณาส่งอย่างน้อย %d รายการ",
    "The inline value did not match the parent instance.": "ข้อมูลไม่ตรงกับรายการหลัก",
    "“%(pk)s” is not a valid value.": "“%(pk)s” ไม่ใช่ค่าที่ถูกต้อง",
    "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not "
    "exist.": "ไม่สามารถตีความเวลา %(datetime)s ในเขตเวลา %(current_timezone)s ได้ เวลานี้อาจกำกวมหรือไม่มีอยู่จริง",
    "The number of days must be between {min_days} and {max_days}.": "จำนวนวันต้องอยู่ระหว่าง {min_days} ถึง {max_days}",
    "This is not a valid IPv6 address.": "ที่อยู่ IPv6 ไม่ถูกต้อง",
    "That page contains no results": "หน้านั้นไม่มีผลลัพธ์",
    "Date out of range": "วันที่อยู่นอกช่วงที่รับได้",
    "Year": "ปี",
    "Month": "เดือน",
    "Day": "วัน",
    # django.db.models (model validation, seen in ModelForms and the admin)
    "%(model_name)s with this %(field_labels)s already exists.": "มี%(model_name)sที่มี%(field_labels)sนี้อยู่แล้ว",
    "Value %(value)r is not a valid choice.": "ค่า %(value)r ไม่ใช่ตัวเลือกที่ถูกต้อง",
    "%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s.":
        "%(field_label)s ต้องไม่ซ้ำกันใน%(date_field_label)s %(lookup_type)s เดียวกัน",
    "“%(value)s” value must be either True or False.": "ค่า “%(value)s” ต้องเป็นจริงหรือเท็จ",
    "“%(value)s” value must be either True, False, or None.": "ค่า “%(value)s” ต้องเป็นจริง เท็จ หรือว่าง",
    "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.":
        "วันที่ “%(value)s” รูปแบบไม่ถูกต้อง ต้องเป็น ปปปป-ดด-วว (ค.ศ.)",
    "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.":
        "วันที่ “%(value)s” ไม่มีอยู่จริง",
    "“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.":
        "วันเวลา “%(value)s” รูปแบบไม่ถูกต้อง ต้องเป็น ปปปป-ดด-วว ชช:นน",
    "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.":
        "วันเวลา “%(value)s” ไม่มีอยู่จริง",
    "“%(value)s” value must be a decimal number.": "ค่า “%(value)s” ต้องเป็นตัวเลขทศนิยม",
    "“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format.":
        "ระยะเวลา “%(value)s” รูปแบบไม่ถูกต้อง",
    "“%(value)s” value must be a float.": "ค่า “%(value)s” ต้องเป็นตัวเลข",
    "“%(value)s” value must be an integer.": "ค่า “%(value)s” ต้องเป็นจำนวนเต็ม",
    "“%(value)s” value must be either None, True or False.": "ค่า “%(value)s” ต้องเป็นว่าง จริง หรือเท็จ",
    "“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.":
        "เวลา “%(value)s” รูปแบบไม่ถูกต้อง ต้องเป็น ชช:นน",
    "“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.":
        "เวลา “%(value)s” ไม่มีอยู่จริง",
    "“%(value)s” is not a valid UUID.": "“%(value)s” ไม่ใช่ UUID ที่ถูกต้อง",
    "%(model)s instance with %(field)s %(value)r does not exist.": "ไม่พบ%(model)sที่มี%(field)s %(value)r",
    "Invalid date string “%(datestr)s” given format “%(format)s”": "วันที่ “%(datestr)s” ไม่ตรงรูปแบบ “%(format)s”",
    "Page is not “last”, nor can it be converted to an int.": "หมายเลขหน้าไม่ถูกต้อง",
    "CSRF verification failed. Request aborted.": "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง",
    # django.contrib.auth (sign-in and staff password forms)
    "This password is too short. It must contain at least %(min_length)d character.":
        "รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย %(min_length)d ตัวอักษร",
    "Your password must contain at least %(min_length)d character.": "รหัสผ่านต้องยาวอย่างน้อย %(min_length)d ตัวอักษร",
    "The password is too similar to the %(verbose_name)s.": "รหัสผ่านคล้ายกับ%(verbose_name)sมากเกินไป",
    "Your password can't be too similar to your other personal information.":
        "รหัสผ่านต้องไม่คล้ายกับข้อมูลส่วนตัวอื่นของท่าน",
    "This password is too common.": "รหัสผ่านนี้ใช้กันทั่วไปเกินไป",
    "Your password can't be a commonly used password.": "รหัสผ่านต้องไม่ใช่รหัสผ่านที่ใช้กันทั่วไป",
    "This password is entirely numeric.": "รหัสผ่านเป็นตัวเลขล้วน",
    "Your password can't be entirely numeric.": "รหัสผ่านต้องไม่เป็นตัวเลขล้วน",
    # The same messages as Django 5.2 raises them (its .po still lists the older wording above).
    "This password is too short. It must contain at least %d character.":
        "รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย %d ตัวอักษร",
    "Your password can’t be too similar to your other personal information.":
        "รหัสผ่านต้องไม่คล้ายกับข้อมูลส่วนตัวอื่นของท่าน",
    "Your password can’t be a commonly used password.": "รหัสผ่านต้องไม่ใช่รหัสผ่านที่ใช้กันทั่วไป",
    "Your password can’t be entirely numeric.": "รหัสผ่านต้องไม่เป็นตัวเลขล้วน",
    "The two password fields didn’t match.": "รหัสผ่านทั้งสองช่องไม่ตรงกัน",
    "Enter a valid username. This value may contain only English letters, numbers, and @/./+/-/_ characters.":
        "ชื่อผู้ใช้ไม่ถูกต้อง ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และ @ . + - _",
    "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.":
        "ชื่อผู้ใช้ไม่ถูกต้อง ใช้ได้เฉพาะตัวอักษร ตัวเลข และ @ . + - _",
    "Enter the same password as before, for verification.": "กรอกรหัสผ่านเดิมอีกครั้งเพื่อยืนยัน",
    # Django REST framework
    '"{input}" is not a valid path choice.': '"{input}" ไม่ใช่ตัวเลือกที่ถูกต้อง',
    "A page number within the paginated result set.": "หมายเลขหน้าของผลลัพธ์",
    "A search term.": "คำค้นหา",
    "Could not satisfy the request Accept header.": "ไม่สามารถตอบในรูปแบบที่ระบุใน Accept header ได้",
    "Datetime value out of range.": "วันเวลาอยู่นอกช่วงที่รับได้",
    "Ensure this field has at least {min_length} elements.": "ต้องมีอย่างน้อย {min_length} รายการ",
    "Ensure this field has no more than {max_length} elements.": "ต้องมีไม่เกิน {max_length} รายการ",
    "Ensure this filename has at most {max_length} characters (it has {length}).":
        "ชื่อไฟล์ต้องยาวไม่เกิน {max_length} ตัวอักษร (ขณะนี้มี {length} ตัวอักษร)",
    'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.':
        "กรุณากรอกรหัสที่ประกอบด้วยตัวอักษร ตัวเลข ขีดล่าง หรือขีดกลางเท่านั้น",
    "Expected available in {wait} second.": "ใช้งานได้อีกครั้งในอีก {wait} วินาที",
    "Expected available in {wait} seconds.": "ใช้งานได้อีกครั้งในอีก {wait} วินาที",
    "Incorrect type. Expected URL string, received {data_type}.": "ชนิดข้อมูลไม่ถูกต้อง ต้องเป็น URL แต่ได้รับ {data_type}",
    "Incorrect type. Expected pk value, received {data_type}.": "ชนิดข้อมูลไม่ถูกต้อง ต้องเป็นรหัส แต่ได้รับ {data_type}",
    "Invalid basic header. Credentials not correctly base64 encoded.": "ส่วนหัว Basic ไม่ถูกต้อง (base64 ผิดรูปแบบ)",
    "Invalid basic header. Credentials string should not contain spaces.": "ส่วนหัว Basic ไม่ถูกต้อง (มีช่องว่าง)",
    "Invalid basic header. No credentials provided.": "ส่วนหัว Basic ไม่ถูกต้อง (ไม่มีข้อมูลยืนยันตัวตน)",
    'Invalid datetime for the timezone "{timezone}".': 'วันเวลาไม่ถูกต้องสำหรับเขตเวลา "{timezone}"',
    "Invalid hyperlink - Incorrect URL match.": "ลิงก์ไม่ถูกต้อง",
    "Invalid hyperlink - No URL match.": "ลิงก์ไม่ถูกต้อง",
    "Invalid hyperlink - Object does not exist.": "ลิงก์ไม่ถูกต้อง ไม่พบรายการ",
    "Invalid input.": "ข้อมูลไม่ถูกต้อง",
    'Invalid pk "{pk_value}" - object does not exist.': 'ไม่พบรายการรหัส "{pk_value}"',
    "Invalid token header. No credentials provided.": "ส่วนหัว Token ไม่ถูกต้อง (ไม่มีข้อมูลยืนยันตัวตน)",
    "Invalid token header. Token string should not contain invalid characters.":
        "ส่วนหัว Token ไม่ถูกต้อง (มีอักขระที่ไม่อนุญาต)",
    "Invalid token header. Token string should not contain spaces.": "ส่วนหัว Token ไม่ถูกต้อง (มีช่องว่าง)",
    'Invalid version in "Accept" header.': 'รุ่นของ API ใน "Accept" header ไม่ถูกต้อง',
    "Invalid version in URL path.": "รุ่นของ API ใน URL ไม่ถูกต้อง",
    "Invalid version in URL path. Does not match any version namespace.": "รุ่นของ API ใน URL ไม่ถูกต้อง",
    "Invalid version in hostname.": "รุ่นของ API ในชื่อโฮสต์ไม่ถูกต้อง",
    "Invalid version in query parameter.": "รุ่นของ API ในพารามิเตอร์ไม่ถูกต้อง",
    "Malformed request.": "คำขอผิดรูปแบบ",
    "Must be a valid UUID.": "ต้องเป็น UUID ที่ถูกต้อง",
    "Must be a valid boolean.": "ต้องเป็นค่าจริงหรือเท็จ",
    "No items to select.": "ไม่มีรายการให้เลือก",
    "Not a valid string.": "ต้องเป็นข้อความ",
    "Number of results to return per page.": "จำนวนผลลัพธ์ต่อหน้า",
    "Object with {slug_name}={value} does not exist.": "ไม่พบรายการที่ {slug_name}={value}",
    "Request was throttled.": "ส่งคำขอถี่เกินกำหนด",
    "Surrogate characters are not allowed: U+{code_point:X}.": "มีอักขระ surrogate ซึ่งไม่อนุญาต: U+{code_point:X}",
    "The fields {field_names} must make a unique set.": "ค่าของ {field_names} ต้องไม่ซ้ำกับที่มีอยู่",
    "The initial index from which to return the results.": "ลำดับเริ่มต้นของผลลัพธ์",
    "The pagination cursor value.": "ตำแหน่งของหน้าผลลัพธ์",
    "This dictionary may not be empty.": "ต้องไม่ว่าง",
    'This field must be unique for the "{date_field}" date.': 'ต้องไม่ซ้ำกันในวันที่ "{date_field}" เดียวกัน',
    'This field must be unique for the "{date_field}" month.': 'ต้องไม่ซ้ำกันในเดือน "{date_field}" เดียวกัน',
    'This field must be unique for the "{date_field}" year.': 'ต้องไม่ซ้ำกันในปี "{date_field}" เดียวกัน',
    "This field must be unique.": "ค่านี้มีอยู่แล้ว ต้องไม่ซ้ำกัน",
    "This selection may not be empty.": "กรุณาเลือกอย่างน้อยหนึ่งรายการ",
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image.":
        "กรุณาอัปโหลดรูปภาพที่ถูกต้อง ไฟล์ที่ส่งไม่ใช่รูปภาพหรือเสียหาย",
    "Which field to use when ordering the results.": "ช่องที่ใช้เรียงลำดับผลลัพธ์",
}
