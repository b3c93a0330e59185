"""The LINE webhook (/line/webhook/) and the admin's page to connect the body's account."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.complaints.access import staff_view
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Role
from apps.line import services
from apps.line.forms import LineChannelForm
from apps.line.models import SINGLETON, LineChannel

logger = logging.getLogger(__name__)


def webhook_url() -> str:
    return f"https://{current_body().slug}.{settings.PLATFORM_DOMAIN}/line/webhook/"


@csrf_exempt
@require_POST
def webhook_view(request: HttpRequest) -> HttpResponse:
    """Verify, record, reply: LINE waits only a few seconds for the answer."""
    # The LINE SDK takes seconds to import: loaded here, not with the URLconf of every request.
    from linebot.v3.exceptions import InvalidSignatureError
    from linebot.v3.webhook import WebhookParser

    from apps.line import chat, client

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
                client.reply(token=credentials.token, reply_token=outcome.reply_token,
                                      messages=outcome.messages)
            except Exception:  # noqa: BLE001 - the event is recorded; a lost reply is not worth a redelivery
                logger.warning("LINE reply failed", exc_info=True)
    return HttpResponse("OK", content_type="text/plain")


@staff_view(roles=(Role.ADMIN,))
def channel_view(request: HttpRequest) -> HttpResponse:
    channel = LineChannel.objects.filter(pk=SINGLETON).first()
    form = LineChannelForm(request.POST or None, initial={"channel_id": channel.channel_id if channel else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.line_channel_connect(actor=request.user, channel_id=form.cleaned_data["channel_id"],
                                          channel_secret=form.cleaned_data["channel_secret"],
                                          access_token=form.cleaned_data["access_token"])
        except ComplaintError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("บันทึกการเชื่อมต่อ LINE แล้ว"))
            return redirect("line-channel")
    return render(request, "line/channel.html", {"form": form, "channel": channel, "webhook_url": webhook_url()})
