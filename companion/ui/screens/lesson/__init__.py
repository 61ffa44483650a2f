"""The lesson page: ``page`` (player, notes, discussion and trainer tabs), ``session`` (what one
viewing records), ``end`` and ``quiz`` (the pages after the video), ``notes_editor``, ``focus``,
``layout`` and ``trainer``."""

from companion.ui.screens.lesson.page import LessonScreen

__all__ = ["LessonScreen"]
