"""Who is staff of this body, and the one gate in front of every staff page and staff API.

Sessions live in the body's own schema; the schema stamp written at sign-in (SESSION_SCHEMA) is a
second lock, so a session is never honoured on another body's host. Pages about one thing hide
its existence: "missing", "not yours" and "not signed in" are the same 404.

Staff membership and roles are the body's data (apps.complaints.models.StaffMember, in the
body's schema), which is why this module lives here and not in apps.accounts (one user model
for every schema, below complaints in the import order).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, cast, overload

from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from apps.accounts.actors import Actor
from apps.accounts.models import User
from apps.accounts.second_factor import is_verified
from apps.accounts.signin import SESSION_SCHEMA
from apps.complaints.models import StaffMember
from apps.tokens.models import StaffToken
from tenants.db import current_schema
from tenants.requests import BodyRequest

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

View = Callable[..., HttpResponseBase]


class StaffRequest(BodyRequest):
    """A request `staff_view` let through: `user` is signed in on this body with the second factor,
    `staff` is their membership (role, department) and `tenant` the body. Staff pages declare it."""

    user: User
    staff: StaffMember


def staff_member(user: Actor) -> StaffMember | None:
    """The user's staff membership in this body (cached on the user object), or None."""
    # A User is always authenticated; AnonymousUser and None are not.
    if not isinstance(user, User) or not user.is_active:
        return None
    cached = getattr(user, "_staff_member", False)
    if cached is False:
        cached = StaffMember.objects.select_related("department").filter(user=user).first()
        user._staff_member = cached  # type: ignore[attr-defined]
    return cast("StaffMember | None", cached)


def staff_role(user: Actor) -> str | None:
    member = staff_member(user)
    return member.role if member else None


def session_stamp(request: HttpRequest) -> None:
    """Mark a fresh sign-in's session as this body's."""
    request.session[SESSION_SCHEMA] = current_schema()


def _stamped_here(request: HttpRequest | Request) -> bool:
    # And only once the session has passed the second factor (apps.accounts.second_factor): a
    # password alone opens no staff page and no staff API call.
    return (request.user.is_authenticated and request.session.get(SESSION_SCHEMA) == current_schema()
            and is_verified(request))


def _token_here(request: HttpRequest | Request) -> bool:
    # The staff API's `Authorization: Bearer` token (api.authentication): it lives in this body's
    # schema, so a token found is this body's. Pages never read it (an HttpRequest has no `auth`).
    return isinstance(getattr(request, "auth", None), StaffToken)


def staff_signed_in(request: HttpRequest | Request, *roles: str) -> StaffMember | None:
    """The request's staff member of this body (in one of `roles`, if given), or None: not signed
    in (or no token of this body), signed in on another body, not staff, or another role."""
    if not (_token_here(request) or _stamped_here(request)):
        return None
    member = staff_member(request.user)
    if member is None or (roles and member.role not in roles):
        return None
    return member


@overload
def staff_view(view: View, *, hide: bool = ..., roles: tuple[str, ...] = ...) -> View: ...
@overload
def staff_view(view: None = ..., *, hide: bool = ..., roles: tuple[str, ...] = ...) -> Callable[[View], View]: ...


def staff_view(view: View | None = None, *, hide: bool = False,
               roles: tuple[str, ...] = ()) -> View | Callable[[View], View]:
    """Signed-in staff of this body only (in `roles`, if given). Otherwise: not signed in here →
    the sign-in page; signed in but not allowed → 403. `hide` (pages about one case, pages whose
    existence is itself the admin's business): every refusal is the same 404, with a sign-in link
    for a visitor who is not signed in."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            if not _stamped_here(request):
                if request.user.is_authenticated:
                    auth_logout(request)  # a session stamped for another body is never honoured
                if hide:
                    return render(request, "complaints/not_found.html", {"next": request.get_full_path()},
                                  status=404)
                return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
            member = staff_signed_in(request, *roles)
            if member is None:
                if hide:
                    raise Http404
                raise PermissionDenied
            cast(StaffRequest, request).staff = member  # the page and the staff navigation read it
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


class IsStaffOfThisBody(BasePermission):
    """The staff API's permission: the same rule as staff_view."""

    message = _("เฉพาะเจ้าหน้าที่ของหน่วยงานนี้")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return staff_signed_in(request) is not None
