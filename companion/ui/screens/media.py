"""The media store the screens read videos, subtitles and thumbnails from."""

from __future__ import annotations

from companion.app import Services
from companion.core.media_store import MediaStore


def media_store(services: Services) -> MediaStore:
    """The media store of the services (built once per services object)."""
    store = getattr(services, "media", None)
    if isinstance(store, MediaStore):
        return store
    return MediaStore(services.locations.media_dir)
