"""Settings, split by concern; every module reads the environment through rongthuk.env."""

from rongthuk.settings.api import *  # noqa: F403
from rongthuk.settings.base import *  # noqa: F403
from rongthuk.settings.celery import *  # noqa: F403
from rongthuk.settings.database import *  # noqa: F403
from rongthuk.settings.logging import *  # noqa: F403
from rongthuk.settings.observability import *  # noqa: F403
from rongthuk.settings.privacy import *  # noqa: F403
from rongthuk.settings.security import *  # noqa: F403
from rongthuk.settings.tenancy import *  # noqa: F403
