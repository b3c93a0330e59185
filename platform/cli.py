"""The operator's `rongthuk` command: Django's management commands under the platform's name.

`rongthuk bodies import FILE`, `rongthuk bodies migrate`, `rongthuk geography load`,
`rongthuk demo` are management commands; `python manage.py ...` runs the same ones.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

from apps.ui.i18n.build import compile_catalogues
from rongthuk.env import env_opt


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")
    if not env_opt("DATABASE_URL"):
        # Every command here may touch the database; without DATABASE_URL that is the embedded one.
        # Imported only then: a deployment with DATABASE_URL needs no embedded-server package.
        from rongthuk import embedded

        embedded.ensure_running()

    compile_catalogues()
    args = list(sys.argv if argv is None else argv)
    args[0] = "rongthuk"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
