import sentry_sdk
from django.db import connection
from django_tenants.utils import tenant_context

from rongthuk.sentry import tag_event_with_body
from tenants.models import LocalBody


def test_events_are_tagged_with_the_bodys_schema_and_dla_code(banlat: LocalBody) -> None:
    with tenant_context(banlat):
        event = tag_event_with_body({"message": "boom"}, {})
    assert event["tags"] == {"schema": "b5760601", "dla_code": "5760601"}
    assert connection.schema_name == "public"


def test_sentry_sends_no_personal_data_and_tags_each_event(banlat: LocalBody) -> None:
    sent: list[dict] = []

    from rongthuk import sentry

    sentry_sdk.init(
        dsn="https://public@sentry.invalid/1",
        send_default_pii=False,
        before_send=sentry.tag_event_with_body,  # type: ignore[arg-type]
        transport=sent.append,  # type: ignore[arg-type]
    )
    try:
        with tenant_context(banlat):
            sentry_sdk.capture_message("complaint service failed")
        sentry_sdk.flush()
    finally:
        sentry_sdk.init(dsn=None)
    assert sent[0]["tags"]["dla_code"] == "5760601"
    assert sent[0]["tags"]["schema"] == "b5760601"
    assert "user" not in sent[0]
