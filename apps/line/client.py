"""The LINE Messaging API as this platform uses it: reply, push and profile through the official
SDK (line-bot-sdk v3), and message content fetched with a bounded read.

The hosts come from settings (LINE_API_BASE, LINE_DATA_API_BASE) so a test points them at a
local fake platform. Content is not fetched with the SDK's MessagingApiBlob: its host is fixed in
the generated code, and it reads the whole body into memory whatever its size."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid

from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
)

__all__ = ["ApiException", "ContentTooLarge", "LineUnavailable", "content_fetch", "profile_name", "push",
           "reply", "rich_menu_create"]


class LineUnavailable(ConnectionError):
    """LINE did not take the request (network, 5xx, 429): try again later."""


class ContentTooLarge(ValueError):
    pass


def _api(token: str) -> tuple[ApiClient, MessagingApi]:
    base = settings.LINE_API_BASE.rstrip("/")
    client = ApiClient(Configuration(access_token=token, host=base))
    api = MessagingApi(client)
    api.line_base_path = base  # the generated client reads its host from here, not the configuration
    return client, api


def reply(*, token: str, reply_token: str, messages: list[Message]) -> None:
    client, api = _api(token)
    with client:
        api.reply_message(ReplyMessageRequest(reply_token=reply_token, messages=messages[:5]),
                          _request_timeout=settings.LINE_API_TIMEOUT)


def push(*, token: str, to: str, messages: list[Message], retry_key: str) -> None:
    """Push with X-Line-Retry-Key: a retried push with the same key is delivered once (LINE
    answers 409 for a key it has already accepted, which is success here)."""
    client, api = _api(token)
    key = str(uuid.uuid5(uuid.NAMESPACE_URL, retry_key))
    try:
        with client:
            api.push_message(PushMessageRequest(to=to, messages=messages[:5]), x_line_retry_key=key,
                             _request_timeout=settings.LINE_API_TIMEOUT)
    except ApiException as exc:
        if exc.status == 409:
            return
        if exc.status is None or exc.status >= 500 or exc.status == 429:
            raise LineUnavailable(f"LINE push answered {exc.status}") from exc
        raise
    except Exception as exc:  # urllib3's connection and timeout errors
        raise LineUnavailable(f"LINE push failed: {exc.__class__.__name__}") from exc


def profile_name(*, token: str, user_id: str) -> str:
    """The citizen's LINE display name, or "" when LINE does not give it."""
    client, api = _api(token)
    try:
        with client:
            return str(api.get_profile(user_id, _request_timeout=settings.LINE_API_TIMEOUT).display_name or "")
    except Exception:  # noqa: BLE001 - a name is a courtesy; filing goes on without it
        return ""


def content_fetch(*, token: str, message_id: str, max_bytes: int) -> bytes:
    """A message's content (photo), refusing anything larger than max_bytes without reading it all."""
    if not message_id.isdigit():
        raise ValueError("message id")
    url = f"{settings.LINE_DATA_API_BASE.rstrip('/')}/v2/bot/message/{message_id}/content"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.LINE_API_TIMEOUT) as response:  # noqa: S310
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise ContentTooLarge(length)
            data: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise LineUnavailable(f"LINE content answered {exc.code}") from exc
    except urllib.error.URLError as exc:
        raise LineUnavailable(f"LINE content failed: {exc.reason}") from exc
    if len(data) > max_bytes:
        raise ContentTooLarge(str(len(data)))
    return data



def rich_menu_create(*, token: str, menu: dict[str, object], image_png: bytes) -> str:
    """Create a rich menu, upload its image (LINE's data host) and make it every user's default;
    the new menu's id."""
    client, api = _api(token)
    try:
        with client:
            created = api.create_rich_menu(RichMenuRequest.from_dict(menu), _request_timeout=settings.LINE_API_TIMEOUT)
        menu_id = str(created.rich_menu_id)
        url = f"{settings.LINE_DATA_API_BASE.rstrip('/')}/v2/bot/richmenu/{menu_id}/content"
        upload = urllib.request.Request(url, data=image_png, method="POST",  # noqa: S310 - the setting's host
                                        headers={"Authorization": f"Bearer {token}", "Content-Type": "image/png"})
        with urllib.request.urlopen(upload, timeout=settings.LINE_API_TIMEOUT):  # noqa: S310
            pass
        client, api = _api(token)
        with client:
            api.set_default_rich_menu(menu_id, _request_timeout=settings.LINE_API_TIMEOUT)
    except ApiException as exc:
        raise LineUnavailable(f"LINE rich menu answered {exc.status}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise LineUnavailable(f"LINE rich menu failed: {exc}") from exc
    return menu_id
