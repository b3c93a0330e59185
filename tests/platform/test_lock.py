"""requirements.lock records the exact versions the suite passes with, and make installs from it."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version

from packaging.version import Version

from tests.conftest import REPO

_PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    text = (REPO / "requirements.lock").read_text()
    return {_canonical(name): pinned for name, pinned in _PIN.findall(text)}


def _declared() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [req for group in project["optional-dependencies"].values()
                                              for req in group]
    return [_canonical(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]) for requirement in requirements]


def test_every_declared_dependency_is_locked() -> None:
    missing = sorted(set(_declared()) - set(_locked()))
    assert missing == [], f"not in requirements.lock (run `make lock`): {missing}"


def test_the_suite_runs_on_exactly_the_locked_versions() -> None:
    differing = {}
    for name, pinned in _locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed == "not installed" or Version(installed) != Version(pinned):
            differing[name] = (pinned, installed)
    assert differing == {}, f"installed versions differ from requirements.lock (run `make install`): {differing}"


def test_every_lock_line_carries_a_hash() -> None:
    text = (REPO / "requirements.lock").read_text()
    pins = _PIN.findall(text)
    assert len(pins) == text.count("==")
    assert len(pins) >= len(set(_declared()))
    for block in re.split(r"\n(?=\S)", text.strip()):
        if "==" in block:
            assert "--hash=sha256:" in block, block.splitlines()[0]
