"""Delivery reports from the SMS gateway (ANTS posts them to the notifyUrl each message carried):
no session, no CSRF token; each report is verified by the signature in its URL before anything is
recorded (apps.complaints.providers.callback_signature)."""

from __future__ import annotations

import hmac
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.complaints import notifications
from apps.complaints.providers import ANTS_GROUPS, callback_signature

MAX_REPORT_BYTES = 65536


@csrf_exempt
@require_POST
def ants_delivery_view(request: HttpRequest) -> HttpResponse:
    if len(request.body) > MAX_REPORT_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        report = json.loads(request.body.decode("utf-8"))
        details = report.get("details") if isinstance(report, dict) else None
        if not isinstance(details, list):
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"error": "invalid body"}, status=400)
    signature = request.GET.get("sig", "").encode()
    signed = [d for d in details if isinstance(d, dict) and isinstance(d.get("messageId"), str)
              and hmac.compare_digest(callback_signature(d["messageId"]).encode(), signature)]
    if not signed:
        return JsonResponse({"error": "invalid signature"}, status=403)
    for detail in signed:
        raw_status = detail.get("status")
        status: dict[str, object] = raw_status if isinstance(raw_status, dict) else {}
        group = status.get("groupId")
        mapped = ANTS_GROUPS.get(group) if isinstance(group, int) else None
        if mapped is None:
            continue
        text = " ".join(str(status.get(k, "")) for k in ("groupName", "name", "description") if status.get(k))
        notifications.notification_delivery_record(message_id=detail["messageId"], status=mapped, detail=text)
    return JsonResponse({"status": "OK"})
