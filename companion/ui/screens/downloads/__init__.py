"""The Downloads page: ``page`` (what is shown), ``queue`` (the download logic), ``rows`` (one
row per offered, queued or ready pack) and ``support`` (what the queue and rows share)."""

from companion.ui.screens.downloads.page import DownloadsScreen

__all__ = ["DownloadsScreen"]
