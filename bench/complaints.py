"""Complaint intake and the staff inbox.

    RONGTHUK_DATABASE_NAME=rongthuk_bench_complaints RONGTHUK_BROKER_FOLDER=broker-bench \\
        .venv/bin/python bench/complaints.py --intake 300 --inbox-cases 50000 --inbox-requests 100

Intake: complaints/s and p50/p95 latency through the service layer (complaint_submit) and through
the staff intake form (Django's test client: the whole request stack in process, no socket), each
WITH the reporting fact (and the SLA clocks on it) and WITHOUT it, interleaved in the same run; the
ratio is the cost of the atomic fact. Inbox: N complaints in one body (bulk-inserted once and kept
in the bench database), p50/p95 server time of /staff/ and the number of queries per page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

import _setup  # noqa: E402, I001  (first: the path, the database, Django)

_setup.start()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.accounts.signin import SESSION_SCHEMA  # noqa: E402
from apps.complaints.models import Category, Complaint, Department, StaffMember  # noqa: E402
from apps.complaints.services import intake  # noqa: E402
from apps.complaints.validation import Complainant  # noqa: E402
from apps.reporting.models import ComplaintFact  # noqa: E402
from tenants.models import LocalBody  # noqa: E402

INTAKE_BODY = "5760601"  # เทศบาลตำบลบ้านลาด
INBOX_BODY = "6760609"  # อบต.ท่าเสน


def setup() -> None:
    _setup.demo_bodies(INTAKE_BODY)


def staff_user(body: LocalBody, role: str) -> User:
    with schema_context(body.schema_name):
        user = User.objects.filter(username=f"bench_{role}").first()
        if user is None:
            user = User.objects.create_user(f"bench_{role}", None)
            StaffMember.objects.create(user=user, role=role)
        return user


def client_for(body: LocalBody, user: User) -> Client:
    client = Client(HTTP_HOST=f"{body.slug}.localhost")
    with schema_context(body.schema_name):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        # A session that has passed the second factor, as every staff session must.
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
            TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        session = client.session
        session[SESSION_SCHEMA] = body.schema_name
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@contextmanager
def sync_replaced(replacement: object) -> Iterator[None]:
    """Run the intake with the service's same-transaction sync (the fact and its SLA clocks)
    replaced: every other write of the case is unchanged."""
    saved = intake.case_sync
    intake.case_sync = replacement  # type: ignore[assignment]
    try:
        yield
    finally:
        intake.case_sync = saved


def _no_fact(complaint: object, **kwargs: object) -> None:
    return None


def _fact_without_clocks(complaint: object, *, body: object = None, new: bool = False, **extra: object) -> object:
    from apps.complaints.context import current_body
    from apps.reporting.services import fact_prepare, fact_save

    fact, changed = fact_prepare(complaint=complaint, body=body or current_body(), new=new, **extra)  # type: ignore[arg-type]
    return fact_save(fact, changed)


VARIANTS = {"+fact": None, "+fact-sla": _fact_without_clocks, "-fact": _no_fact}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def bench_intake(count: int) -> list[tuple[str, list[float]]]:
    body = LocalBody.objects.get(dla_code=INTAKE_BODY)
    clerk = staff_user(body, "clerk")
    client = client_for(body, clerk)
    with schema_context(body.schema_name):
        category = Category.objects.filter(national_category_id="road").first()
    assert category is not None
    person = Complainant(name="ผู้ทดสอบ ประสิทธิภาพ", phone="0812345678")
    form = {"channel": "phone", "category": category.pk, "description": "ถนนชำรุด (bench)", "name": person.name,
            "phone": person.phone, "confirm": "1"}

    def service() -> None:
        with schema_context(body.schema_name):
            intake.complaint_submit(channel="phone", category=category, description="ถนนชำรุด (bench)",
                                      complainant=person, actor=clerk)

    def http() -> None:
        response = client.post("/staff/intake/", form)
        assert response.status_code == 200, response.status_code

    payload = {"channel": "phone", "category": category.pk, "description": "ถนนชำรุด (bench)",
               "complainant": {"name": person.name, "phone": person.phone}}

    def json() -> None:
        response = client.post("/api/staff/v1/complaints/", payload, content_type="application/json")
        assert response.status_code == 201, response.status_code

    paths = {"service": service, "http": http, "json": json}
    results: dict[str, list[float]] = {f"{p}{v}": [] for p in paths for v in VARIANTS}
    for _ in range(5):  # warm-up
        service()
        http()
    # Interleaved in small batches so drift (cache, autovacuum) hits every variant alike.
    for _round in range(max(1, count // 10)):
        for path, run in paths.items():
            for variant, replacement in VARIANTS.items():
                with sync_replaced(replacement) if replacement else nullcontext():
                    for _ in range(10):
                        results[f"{path}{variant}"].append(timed(run))
    return list(results.items())


def fill_inbox(body: LocalBody, target: int) -> None:
    with schema_context(body.schema_name):
        have = Complaint.objects.count()
        if have >= target:
            return
        categories = list(Category.objects.select_related("national_category"))
        departments = list(Department.objects.all())
        now = timezone.now()
        statuses = ["received", "acknowledged", "in_progress", "waiting", "resolved", "closed", "closed", "closed"]
        batch = 5000
        for start in range(have, target, batch):
            rows = []
            for i in range(start, min(target, start + batch)):
                category = categories[i % len(categories)]
                at = now - timezone.timedelta(minutes=i * 10)
                rows.append(Complaint(
                    tracking_code=f"B{i:07d}"[:4] + "-" + f"B{i:07d}"[4:], channel="phone", category=category,
                    national_category=category.national_category_id, sla_class=category.national_category.sla_class,
                    description=f"เรื่องทดสอบ {i}", status=statuses[i % len(statuses)],
                    department=departments[i % len(departments)], received_at=at, cycle_started_at=at,
                    complainant_name="ผู้ทดสอบ", complainant_phone="0812345678", phone_last4="5678"))
            made = Complaint.objects.bulk_create(rows)
            ComplaintFact.objects.bulk_create([ComplaintFact(
                body=body, province_code=body.province_id or "", district_code=body.district_id or "",
                complaint_id=c.pk, tracking_code=c.tracking_code, national_category=c.national_category,
                sla_class=c.sla_class, channel=c.channel, status=c.status, received_at=c.received_at,
                cycle_started_at=c.cycle_started_at, resolve_due_at=c.received_at + timezone.timedelta(days=15))
                for c in made])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_complaint")


def bench_inbox(cases: int, requests: int) -> list[tuple[str, list[float], int]]:
    body = LocalBody.objects.get(dla_code=INBOX_BODY)
    fill_inbox(body, cases)
    client = client_for(body, staff_user(body, "admin"))
    with schema_context(body.schema_name):
        engineering = Department.objects.get(code="engineering").pk
    pages = [("/staff/ (newest 50)", "/staff/"),
             ("/staff/?status=open&department=…", f"/staff/?status=open&department={engineering}"),
             ("/staff/?page=200", "/staff/?page=200"),
             ("/staff/?due=overdue", "/staff/?due=overdue")]
    out = []
    for label, url in pages:
        for _ in range(5):
            assert client.get(url).status_code == 200
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):  # request_started resets connection.queries: count here
            client.get(url)
        times = [timed(lambda u=url: client.get(u)) for _ in range(requests)]
        out.append((label, times, len(executed)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--intake", type=int, default=300, help="complaints per intake variant")
    parser.add_argument("--inbox-cases", type=int, default=50_000)
    parser.add_argument("--inbox-requests", type=int, default=100)
    args = parser.parse_args()
    setup()
    command = " ".join(["RONGTHUK_DATABASE_NAME=" + os.environ.get("RONGTHUK_DATABASE_NAME", ""),
                        ".venv/bin/python bench/complaints.py", *sys.argv[1:]])
    intake = bench_intake(args.intake)
    inbox = bench_inbox(args.inbox_cases, args.inbox_requests)

    print(f"\n$ {command}\n")
    print("| intake path | n | complaints/s | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|")
    means = {}
    for label, times in intake:
        means[label] = statistics.mean(times)
        print(f"| {label} | {len(times)} | {1000 / statistics.mean(times):.1f} | {percentile(times, 50):.1f} | "
              f"{percentile(times, 95):.1f} |")
    medians = {label: percentile(times, 50) for label, times in intake}
    print("\n| path | the fact alone (+fact-sla vs -fact) | the fact with its SLA clocks (+fact vs -fact) |")
    print("|---|---:|---:|")
    for path in ("service", "http", "json"):
        alone = medians[f"{path}+fact-sla"] / medians[f"{path}-fact"] - 1
        full = medians[f"{path}+fact"] / medians[f"{path}-fact"] - 1
        print(f"| {path} | {alone * 100:+.1f}% at p50 | {full * 100:+.1f}% at p50 |")
    print("target: the atomic fact costs at most 15%")
    print(f"\n| inbox page ({args.inbox_cases:,} complaints in one body) | n | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for label, times, queries in inbox:
        print(f"| {label} | {len(times)} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f} | {queries} |")
    print("\ntarget: inbox p95 ≤ 150 ms")


if __name__ == "__main__":
    main()
