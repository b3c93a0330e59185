"""The import direction (pyproject [tool.importlinter], README "Architecture") is checked on every
test run, not only by `make lint`: an import that runs back up a layer fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_imports_run_one_way() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Contracts: 1 kept, 0 broken." in result.stdout
