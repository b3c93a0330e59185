"""The LINE webhook (/line/webhook/): verify the signature, record and answer each event.

It imports the LINE SDK (about a second): the URLconf loads it once per process (gunicorn's
master, before it forks), the staff page in apps.line.views does not need it."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import WebhookParser

from apps.line import chat, client, services

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def webhook_view(request: HttpRequest) -> HttpResponse:
    """Verify, record, reply: LINE waits only a few seconds for the answer."""
    credentials = services.line_credentials()
    if credentials is None:
        return HttpResponse(status=404)
    signature = request.headers.get("X-Line-Signature", "")
    if not signature:
        return HttpResponse("missing X-Line-Signature", status=400, content_type="text/plain")
    try:
        text = request.body.decode("utf-8")
        events = WebhookParser(credentials.secret).parse(text, signature)
    except InvalidSignatureError:
        return HttpResponse("invalid signature", status=403, content_type="text/plain")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return HttpResponse("invalid body", status=400, content_type="text/plain")
    raws = json.loads(text).get("events") or []
    for event, raw in zip(events, raws, strict=False):
        try:
            outcome = chat.line_event_handle(event=event, raw=raw, credentials=credentials)
        except Exception:  # one bad event never fails the others, nor makes LINE redeliver them all
            logger.exception("LINE event %s not handled", raw.get("webhookEventId") if isinstance(raw, dict) else "")
            continue
        if outcome and outcome.reply_token and outcome.messages:
            try:
                client.reply(token=credentials.token, reply_token=outcome.reply_token, messages=outcome.messages)
            except Exception:  # noqa: BLE001 - the event is recorded; a lost reply is not worth a redelivery
                logger.warning("LINE reply failed", exc_info=True)
    return HttpResponse("OK", content_type="text/plain")
