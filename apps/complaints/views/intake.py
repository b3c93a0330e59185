"""Staff intake: a walk-in, phone, letter, LINE, e-mail or 1111 complaint typed in by staff, with
a warning when it looks like an open case nearby."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.forms import IntakeForm
from apps.complaints.linking import line_account_of
from apps.complaints.models import Category, Complaint
from apps.complaints.selectors import duplicate_candidates
from apps.complaints.services.intake import complaint_submit
from apps.complaints.validation import Complainant, clean_coordinates
from apps.ui.thai import localised_name
from tenants.models import LocalBody, Subdistrict


def _subdistricts(body: LocalBody) -> list[tuple[str, str]]:
    if not body.district_id:
        return []
    return [(s.code, localised_name(s)) for s in Subdistrict.objects.filter(district_id=body.district_id)]


INTAKE_FIELDS = {"channel", "category", "description", "subdistrict", "moo", "location_text", "name", "phone",
                 "email", "national_id", "address", "line_id", "contact_allowed", "attachments"}


def _intake_error(form: IntakeForm, exc: ComplaintError) -> None:
    field = {"location": "latitude", "privacy": None}.get(exc.field or "", exc.field)
    field = "contact_allowed" if field and field.startswith("contact_") else field
    form.add_error(field if field in INTAKE_FIELDS or field == "latitude" else None, str(exc.message))


@staff_view
def intake_view(request: StaffRequest) -> HttpResponse:
    body = current_body()
    categories = list(Category.objects.filter(is_active=True).select_related("national_category"))
    form = IntakeForm(request.POST or None, request.FILES or None, categories=categories,
                      subdistricts=_subdistricts(body), initial={"channel": "walk_in"})
    duplicates: list[Complaint] = []
    if request.method != "POST" or not form.is_valid():
        return render(request, "complaints/intake.html", {"form": form, "duplicates": duplicates},
                      status=400 if request.method == "POST" else 200)
    data = form.cleaned_data
    category = next((c for c in categories if c.pk == data["category"]), None)
    try:
        if category is not None and not data["confirm"]:
            latitude, longitude = clean_coordinates(data["latitude"], data["longitude"])
            duplicates = duplicate_candidates(user=request.user, national_category=category.national_category_id,
                                              latitude=latitude, longitude=longitude,
                                              subdistrict_code=data["subdistrict"])
        if duplicates:
            # The form is bound to request.POST (immutable): show it again with the confirmation ticked.
            confirmed = request.POST.copy()
            confirmed["confirm"] = "1"
            form.data = confirmed
            return render(request, "complaints/intake.html", {"form": form, "duplicates": duplicates,
                                                              "had_files": bool(data["attachments"])})
        complainant = None if data["anonymous"] else Complainant(
            name=data["name"], phone=data["phone"], email=data["email"], national_id=data["national_id"],
            address=data["address"], line_id=data["line_id"], contact_allowed=tuple(data["contact_allowed"]))
        result = complaint_submit(
            channel=data["channel"], category=data["category"] or 0, description=data["description"],
            complainant=complainant, subdistrict_code=data["subdistrict"], moo=data["moo"],
            location_text=data["location_text"], latitude=data["latitude"], longitude=data["longitude"],
            is_confidential=data["confidential"], about_district_office=data["about_district_office"],
            uploads=data["attachments"], actor=request.user, language=data.get("language") or "th")
    except ComplaintError as exc:
        _intake_error(form, exc)
        return render(request, "complaints/intake.html", {"form": form, "duplicates": duplicates}, status=400)
    # The PIN is shown once, on this page, and stored nowhere but as a hash.
    return render(request, "complaints/intake_done.html", {"result": result, "complaint": result.complaint,
                                                           "line_id": line_account_of(current_body())})
