"""Who oversees what. Every oversight read goes through these helpers, so a body outside the
officer's area is indistinguishable from one that does not exist (the same 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from apps.accounts.models import User
from apps.oversight.models import OversightProfile, ScopeLevel
from tenants.models import BodyStatus, LocalBody


@dataclass(frozen=True)
class Scope:
    """An area: the nation, a province (2-digit DOPA code) or a district (4-digit)."""

    level: str
    code: str = ""

    @classmethod
    def parse(cls, text: str) -> Scope:
        """`nation`, `province:76`, `district:7606` (the API key scope syntax)."""
        level, _, code = text.partition(":")
        if level == ScopeLevel.NATION and not code:
            return cls(ScopeLevel.NATION)
        if level == ScopeLevel.PROVINCE and len(code) == 2 and code.isdigit():
            return cls(ScopeLevel.PROVINCE, code)
        if level == ScopeLevel.DISTRICT and len(code) == 4 and code.isdigit():
            return cls(ScopeLevel.DISTRICT, code)
        raise ValueError(f"invalid scope {text!r}: use nation, province:XX or district:XXXX")

    def __str__(self) -> str:
        return self.level if self.level == ScopeLevel.NATION else f"{self.level}:{self.code}"

    def fact_filter(self, prefix: str = "") -> Q:
        """A filter on anything with province_code/district_code columns (facts, roll-ups)."""
        if self.level == ScopeLevel.PROVINCE:
            return Q(**{f"{prefix}province_code": self.code})
        if self.level == ScopeLevel.DISTRICT:
            return Q(**{f"{prefix}district_code": self.code})
        return Q()

    def body_filter(self) -> Q:
        if self.level == ScopeLevel.PROVINCE:
            return Q(province_id=self.code)
        if self.level == ScopeLevel.DISTRICT:
            return Q(district_id=self.code)
        return Q()

    def contains(self, other: Scope) -> bool:
        if self.level == ScopeLevel.NATION:
            return True
        if self.level == ScopeLevel.PROVINCE:
            return other.level != ScopeLevel.NATION and other.code[:2] == self.code
        return other.level == ScopeLevel.DISTRICT and other.code == self.code


NATION = Scope(ScopeLevel.NATION)


class OversightRequest(HttpRequest):
    """A request `oversight_required` let through: `user` is a signed-in officer (second factor
    passed), `scope` the area they oversee. Oversight pages declare it."""

    user: User
    scope: Scope


def scope_for_user(user: User) -> Scope | None:
    """The user's area; national admins (superusers) oversee the nation. None: no oversight."""
    if not user.is_authenticated or not user.is_active:
        return None
    profile = OversightProfile.objects.filter(user=user).first()
    if profile is None:
        return NATION if user.is_superuser else None
    if profile.level == ScopeLevel.PROVINCE:
        return Scope(ScopeLevel.PROVINCE, profile.province_id or "")
    if profile.level == ScopeLevel.DISTRICT:
        return Scope(ScopeLevel.DISTRICT, profile.district_id or "")
    return NATION


def bodies_in_scope_for(scope: Scope) -> QuerySet[LocalBody]:
    return (LocalBody.objects.bodies().exclude(status=BodyStatus.ARCHIVED)
            .filter(scope.body_filter()).select_related("province", "district"))


def bodies_in_scope(user: User) -> QuerySet[LocalBody]:
    scope = scope_for_user(user)
    if scope is None:
        return LocalBody.objects.none()
    return bodies_in_scope_for(scope)


def get_body_in_scope(scope: Scope, dla_code: str) -> LocalBody:
    body = bodies_in_scope_for(scope).filter(dla_code=dla_code).first()
    if body is None:
        raise Http404("no such body")
    return body


def get_body_for_officer(user: User, dla_code: str) -> LocalBody:
    """The body, or 404 — the same for a code that does not exist and one outside the user's area."""
    scope = scope_for_user(user)
    if scope is None:
        raise Http404("no such body")
    return get_body_in_scope(scope, dla_code)


def narrow_scope(scope: Scope, *, province: str = "", district: str = "") -> Scope:
    """A drill-down within the user's area; 404 when it leaves it."""
    wanted = scope
    if district:
        wanted = Scope(ScopeLevel.DISTRICT, district)
    elif province:
        wanted = Scope(ScopeLevel.PROVINCE, province)
    if not scope.contains(wanted):
        raise Http404("outside your area")
    return wanted
