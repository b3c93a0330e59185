import subprocess
import sys

from tests.conftest import REPO


def test_stdlib_platform_is_not_shadowed_next_to_rongthuk_settings() -> None:
    code = (
        "import platform, uuid; system = platform.system(); "
        "import rongthuk.settings, sysconfig; "
        "assert platform.__file__.startswith(sysconfig.get_paths()['stdlib']), platform.__file__; "
        "print(system, uuid.uuid4().version, rongthuk.settings.TIME_ZONE)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Linux", "4", "Asia/Bangkok"]


def test_platform_directory_has_no_package_init() -> None:
    assert not (REPO / "platform" / "__init__.py").exists()
