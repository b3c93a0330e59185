"""Package list for setuptools: platform/ installs as `rongthuk`, the rest under their own names.

pyproject.toml holds everything else; this file exists only because `packages.find` cannot rename
a directory.
"""

from setuptools import find_packages, setup

packages = ["rongthuk", *(f"rongthuk.{name}" for name in find_packages("platform"))]
packages += find_packages(include=["tenants", "tenants.*", "apps", "apps.*", "api", "api.*"])

setup(packages=packages)
