"""The hub distribution's packages, taken from the tree two levels up: everything but the desktop
app's ``companion.ui`` (and with it Qt). Build or install from this folder:
``pip wheel packaging/hub``, ``pipx install packaging/hub``."""

import sys

from setuptools import find_packages, setup

TREE = "../.."

if "sdist" in sys.argv:
    # The sources live two levels up, outside this folder: an sdist cannot hold them.
    raise SystemExit("companion-hub is built as a wheel only: pip wheel packaging/hub, "
                     "python -m build --wheel packaging/hub, or pipx install packaging/hub")

setup(
    packages=find_packages(TREE, include=["companion", "companion.*"],
                           exclude=["companion.ui", "companion.ui.*"]),
    package_dir={"": TREE},
)
