"""The hub distribution's packages, taken from the tree two levels up: everything but the desktop
app's ``companion.ui`` (and with it Qt). Build or install from this folder:
``pip wheel packaging/hub``, ``pipx install packaging/hub``."""

from setuptools import find_packages, setup

TREE = "../.."

setup(
    packages=find_packages(TREE, include=["companion", "companion.*"],
                           exclude=["companion.ui", "companion.ui.*"]),
    package_dir={"": TREE},
)
