from tests.apps.onboarding.mailbox import mailbox

__all__ = ["mailbox"]
