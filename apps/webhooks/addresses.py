"""Server-side request forgery: a webhook URL may not point inside the platform's network.

Checked when the admin registers the URL and again at every delivery, on the addresses the name
resolves to at that moment; the delivery then connects to the address that was checked (a name
that resolves elsewhere a second later is never followed). `WEBHOOK_ALLOW_PRIVATE_ADDRESSES`
(tests, a closed network) lifts the rule."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AddressRefused(Exception):
    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def url_parts(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL, or AddressRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(_("URL ไม่ถูกต้อง")) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(_("URL ต้องขึ้นต้นด้วย https:// (หรือ http://) และมีชื่อเครื่อง"))
    if parts.username or parts.password:
        raise AddressRefused(_("URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน"))
    if settings.RONGTHUK_ENV == "production" and parts.scheme != "https":
        raise AddressRefused(_("URL ต้องใช้ https://"))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve_checked(host: str, port: int) -> str:
    """One address of `host` that may be called (every address it resolves to must be public)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(_("หาที่อยู่ของชื่อเครื่อง %(host)s ไม่พบ") % {"host": host}) from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise AddressRefused(_("หาที่อยู่ของชื่อเครื่อง %(host)s ไม่พบ") % {"host": host})
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and not all(_public(a) for a in addresses):
        raise AddressRefused(_("URL ชี้ไปยังเครือข่ายภายในหรือเครื่องนี้เอง ซึ่งไม่อนุญาต"))
    return str(addresses[0])


def url_check(url: str) -> None:
    _scheme, host, port, _path = url_parts(url)
    resolve_checked(host, port)
