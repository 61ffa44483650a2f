"""What pyproject.toml cannot say: resources/ goes into the wheel as ``companion/resources``.

resources/ stays at the top of the tree (translators' tools, the PyInstaller spec and the pending
translation files of every branch expect it there); :func:`companion.core.paths.resources_dir`
finds it in either place.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["companion", "companion.*"]), "companion.resources"],
    package_dir={"companion.resources": "resources"},
)
