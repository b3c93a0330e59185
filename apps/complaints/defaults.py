"""Departments and categories every new body starts with (it edits them afterwards).

They are put into the template schema by a data migration and copied with it, so provisioning
a body costs no extra statement."""

DEPARTMENTS = [
    ("office", "สำนักปลัด", "Office of the Permanent Secretary"),
    ("engineering", "กองช่าง", "Engineering Division"),
    ("health", "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division"),
    ("welfare", "กองสวัสดิการสังคม", "Social Welfare Division"),
    ("finance", "กองคลัง", "Finance Division"),
]

# national category code → default department code
ROUTING = {
    "urgent_hazard": "office",
    "streetlight": "engineering",
    "road": "engineering",
    "drainage": "engineering",
    "waste": "health",
    "water_supply": "engineering",
    "tree": "engineering",
    "public_health": "health",
    "stray_animals": "health",
    "nuisance": "health",
    "welfare": "welfare",
    "building": "engineering",
    "encroachment": "office",
    "other": "office",
    "conduct": None,
    "corruption": None,
}
