"""The admin's page to connect the body's LINE account (the webhook is apps.line.webhook)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Role
from apps.line import services
from apps.line.forms import LineChannelForm
from apps.line.models import SINGLETON, LineChannel


def webhook_url() -> str:
    return f"https://{current_body().slug}.{settings.PLATFORM_DOMAIN}/line/webhook/"


@staff_view(roles=(Role.ADMIN,))
def channel_view(request: StaffRequest) -> HttpResponse:
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
