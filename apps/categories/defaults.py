"""The shipped national taxonomy: (code, Thai, English, SLA class, icon). Data migrations and the
defaults of every new body read this list; it is data, editable in the national admin."""

NATIONAL_CATEGORIES = [
    ("urgent_hazard", "เหตุเร่งด่วนเป็นอันตราย (ต้นไม้ล้ม สายไฟขาด ถนนยุบ)",
     "Urgent hazard (fallen tree, live wire, sinkhole)", "A", "alert"),
    ("streetlight", "ไฟฟ้าสาธารณะ ไฟถนนดับ/ชำรุด", "Streetlights", "B", "lightbulb"),
    ("road", "ถนน ทางเท้า สะพาน ชำรุด", "Roads, footpaths and bridges", "B", "road"),
    ("drainage", "ท่อระบายน้ำอุดตัน น้ำท่วมขัง", "Drainage and flooding", "B", "water"),
    ("waste", "ขยะมูลฝอย การเก็บขยะ", "Waste collection", "B", "trash"),
    ("water_supply", "น้ำประปา น้ำไม่ไหล", "Water supply", "B", "tap"),
    ("tree", "ต้นไม้ กิ่งไม้ สวนสาธารณะ", "Trees and parks", "B", "tree"),
    ("public_health", "สาธารณสุข ยุงลาย โรคติดต่อ", "Public health", "B", "health"),
    ("stray_animals", "สัตว์จรจัด", "Stray animals", "C", "paw"),
    ("nuisance", "เหตุเดือดร้อนรำคาญ เสียง กลิ่น ควัน", "Noise and nuisance", "C", "noise"),
    ("welfare", "สวัสดิการสังคม เบี้ยยังชีพ", "Welfare and allowances", "C", "hands"),
    ("building", "อาคาร การก่อสร้าง ผังเมือง", "Building control", "D", "building"),
    ("encroachment", "การบุกรุกที่สาธารณะ", "Encroachment on public land", "D", "fence"),
    ("other", "เรื่องอื่น ๆ", "Other", "B", "dots"),
    ("conduct", "พฤติกรรมของเจ้าหน้าที่", "Officials' conduct", "conduct", "person"),
    ("corruption", "การทุจริตและประพฤติมิชอบ", "Corruption and misconduct", "corruption", "shield"),
]
