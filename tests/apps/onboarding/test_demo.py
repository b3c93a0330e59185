"""`rongthuk demo --national`'s invitations: every body of a province invited by the national
admin, a third claimed, half of those with a published SLA; the adoption view shows the figures."""

from __future__ import annotations

from apps.accounts.models import User
from apps.onboarding.models import Invitation
from apps.onboarding.selectors import body_adoption, totals
from apps.oversight.scoping import Scope
from rongthuk.demo import demo_invitations
from tenants.models import LocalBody


def test_the_national_demo_invites_every_body_of_the_province(db: None) -> None:
    User.objects.filter(username="national").delete()
    User.objects.create_superuser("national", "pw-national-1")
    bodies = LocalBody.objects.live().filter(province_id="76").count()
    summary = demo_invitations(province="76")
    # banlat and thasen have their administrators already (the standing cast): skipped.
    invited = bodies - 2
    claimed = len(range(0, bodies, 3))
    assert Invitation.objects.count() == invited
    figures = totals(body_adoption(Scope("province", "76")))
    assert figures["invited"] == invited
    assert summary.startswith(f"invitations in province 76: {invited} sent, {figures['claimed']} claimed")
    assert 0 < figures["claimed"] <= claimed
    assert 0 < figures["sla"] <= figures["claimed"] + 2
    # A second run adds nothing.
    assert demo_invitations(province="76").endswith(f"0 published an SLA, {bodies} skipped")
    assert Invitation.objects.count() == invited
