"""The learners' photos in the "My groups" tables: the photo each learner chose for their
profile (fetched by the sync into the media store, see ``sync/people.py``), or their initials.

A table asks for a decoration only for the rows it draws, so at most a screenful of photos is
read from disk at a time; each is kept, at the size drawn, until the text size changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from companion.core.media_store import MediaStore
from companion.ui.dialogs.photo import avatar

MAX_KEPT = 2000  # avatars kept (a group of 900 at two text sizes)


class Avatars:
    """Round pictures of people by photo hash (or name, without one), made once per size."""

    def __init__(self, store: MediaStore) -> None:
        self.store = store
        self._kept: dict[tuple[str, int], QPixmap] = {}

    def get(self, photo: str | None, name: str, size: int) -> QPixmap:
        key = (f"photo:{photo}" if photo and self._has(photo) else f"name:{name}", size)
        pixmap = self._kept.get(key)
        if pixmap is None:
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            pixmap = avatar(self.store, photo if key[0].startswith("photo:") else None, name,
                            size)
            self._kept[key] = pixmap
        return pixmap

    def _has(self, photo: str) -> bool:
        try:
            return self.store.has(photo)
        except ValueError:  # not a hash: a hub that sent something else
            return False


class AvatarDelegate(QStyledItemDelegate):
    """Draws a row's picture as high as its text, at any text size."""

    def __init__(self, parent: QWidget | None = None,
                 size_for: Callable[[int], int] = lambda line: line) -> None:
        super().__init__(parent)
        self.size_for = size_for

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        side = self.size_for(option.fontMetrics.height())  # before the model is asked
        super().initStyleOption(option, index)
        option.decorationSize = QSize(side, side)
