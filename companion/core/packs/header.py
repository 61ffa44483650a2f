"""The pack header: what a pack says about itself (``[pack]`` in pack.toml, ``pack`` in the
manifest, a row of the ``packs`` table). Each view of a pack holds one (``PackSource``,
``PackInfo``, ``InstalledPack``, ``PackSummary``) next to what only that view knows; the
JSON and manifest formats written from them are unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: The header's fields, in the order the packs table and the SELECTs list them.
HEADER_FIELDS = ("id", "title", "version", "language", "author", "description")


@dataclass(frozen=True)
class PackHeader:
    id: str
    title: str
    version: str
    language: str
    author: str
    description: str


class HeaderFields:
    """Reads a holder's ``header`` fields as its own (``pack.title``), so every view of a pack
    is read the same way."""

    header: PackHeader

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def title(self) -> str:
        return self.header.title

    @property
    def version(self) -> str:
        return self.header.version

    @property
    def language(self) -> str:
        return self.header.language

    @property
    def author(self) -> str:
        return self.header.author

    @property
    def description(self) -> str:
        return self.header.description


def header_row(row: Sequence[Any]) -> tuple[Any, ...]:
    """A SQL row that starts with the :data:`HEADER_FIELDS` as (PackHeader, the rest...), to
    build a holder with ``Holder(*header_row(row))``."""
    count = len(HEADER_FIELDS)
    return (PackHeader(*row[:count]), *row[count:])
