"""Settings start no server: without DATABASE_URL they only say where the embedded one's socket
is; the commands that need the database start it."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_importing_settings_without_database_url_starts_no_server(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "RONGTHUK_DATABASE_NAME"}}
    env["RONGTHUK_HOME"] = str(tmp_path)
    code = ("import django; django.setup(); from django.conf import settings; "
            "db = settings.DATABASES['default']; print(settings.EMBEDDED_DATABASE, db['NAME'], db['HOST'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "rongthuk", str(tmp_path / ".data" / "postgres")]
    assert not (tmp_path / ".data" / "postgres").exists()
