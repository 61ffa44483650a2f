"""What a person typed in a lesson's discussion and did not send yet, kept so it is never lost:
per lesson and per target ("" a new comment, "reply:ID" a reply, "edit:ID" a change), in
memory and in the person's preferences (so it survives opening another lesson and a restart).

A new comment's and a reply's text are also real drafts (``core/social.Drafts``), synced
privately to the person's other PCs (issue 11): written there when the panel is left or
another lesson opens, not on every pause in typing, so a sentence being typed does not become
dozens of changes. A change of an existing comment stays on this PC.
"""

from __future__ import annotations

import json

from companion.core.preferences import Preferences
from companion.core.social import Drafts

DRAFTS_PREF = "comment_drafts:"  # + lesson id: {"active": target, "texts": {target: text}}


class CommentDrafts:
    """The unsent texts of every lesson one panel has shown."""

    def __init__(self, preferences: Preferences, drafts: Drafts | None = None) -> None:
        self._prefs = preferences
        self._synced = drafts
        self._texts: dict[tuple[int, str], dict[str, str]] = {}
        self._active: dict[tuple[int, str], str] = {}
        # The synced drafts' texts as this panel last saw or wrote them, per lesson: what is
        # new from my other PCs, and which texts were typed here since.
        self._seen: dict[tuple[int, str], dict[str, str]] = {}

    def texts(self, profile_id: int, lesson_id: str) -> dict[str, str]:
        """The texts of a lesson by target (read from the preferences the first time)."""
        key = (profile_id, lesson_id)
        if key not in self._texts:
            texts: dict[str, str] = {}
            active = ""
            raw = self._prefs.get(DRAFTS_PREF + lesson_id, profile_id)
            try:
                stored = json.loads(raw) if raw else {}
                texts = {str(k): str(v) for k, v in dict(stored.get("texts", {})).items() if v}
                active = str(stored.get("active", ""))
            except (ValueError, TypeError, AttributeError):
                pass  # a broken value: start empty rather than fail to show the lesson
            seen = self._synced_texts(profile_id, lesson_id)
            texts.update(seen)  # what I typed on my other PC comes along
            self._seen[key] = seen
            self._texts[key] = texts
            self._active[key] = active
        return self._texts[key]

    def _synced_texts(self, profile_id: int, lesson_id: str) -> dict[str, str]:
        if self._synced is None:
            return {}
        return {(f"reply:{d.reply_to}" if d.reply_to else ""): d.body
                for d in self._synced.all(profile_id) if d.lesson_id == lesson_id}

    def take_synced(self, profile_id: int, lesson_id: str, typing: str | None,
                    focused: bool = False) -> set[str]:
        """Take in the drafts a sync brought from my other PCs for a lesson already shown;
        returns the targets whose text changed. ``typing`` is the target in the editor: its
        text is left alone when it was typed here since the last sync or the editor has the
        focus (what the person is writing right now wins; it goes out at the next save)."""
        key = (profile_id, lesson_id)
        if key not in self._texts or self._synced is None:
            return set()  # not shown yet: read in full when it is
        texts, seen = self._texts[key], self._seen.setdefault(key, {})
        synced = self._synced_texts(profile_id, lesson_id)
        changed: set[str] = set()
        for target in set(synced) | set(seen):
            new, old = synced.get(target), seen.get(target)
            if new == old:
                continue
            local = texts.get(target, "")
            if target == typing and local.strip() and (focused or local != (old or "")):
                continue
            if new is None:
                seen.pop(target, None)
                if local == (old or ""):  # sent or thrown away on the other PC
                    texts.pop(target, None)
                    changed.add(target)
                continue
            seen[target] = new
            if local != new:
                texts[target] = new
                changed.add(target)
        return changed

    def active(self, profile_id: int, lesson_id: str) -> str:
        """The target the person was writing to last in this lesson."""
        self.texts(profile_id, lesson_id)
        return self._active.get((profile_id, lesson_id), "")

    def set_active(self, profile_id: int, lesson_id: str, target: str) -> None:
        self.texts(profile_id, lesson_id)
        self._active[(profile_id, lesson_id)] = target

    def set_text(self, profile_id: int, lesson_id: str, target: str, text: str) -> None:
        """Keep ``text`` for ``target`` (an empty text forgets it)."""
        texts = self.texts(profile_id, lesson_id)
        if text.strip():
            texts[target] = text
        else:
            texts.pop(target, None)
        self._active[(profile_id, lesson_id)] = target

    def drop(self, profile_id: int, lesson_id: str, target: str) -> None:
        """Forget the text of ``target`` (sent, or a change cancelled)."""
        self.texts(profile_id, lesson_id).pop(target, None)

    def save(self, profile_id: int, lesson_id: str, synced: bool = True) -> None:
        """Write a lesson's texts to the preferences, when they changed; with ``synced`` also
        the drafts that travel to the person's other PCs."""
        key = (profile_id, lesson_id)
        if key not in self._texts:
            return
        texts = self._texts[key]
        if synced and self._synced is not None:
            self._save_synced(profile_id, lesson_id, texts)
            self._seen[key] = self._synced_texts(profile_id, lesson_id)
        value = json.dumps({"active": self._active.get(key, ""), "texts": texts},
                           ensure_ascii=False) if texts else ""
        if self._prefs.get(DRAFTS_PREF + lesson_id, profile_id) != value:
            self._prefs.set(DRAFTS_PREF + lesson_id, value, profile_id)

    def _save_synced(self, profile_id: int, lesson_id: str, texts: dict[str, str]) -> None:
        store = self._synced
        assert store is not None
        kept = {(f"reply:{d.reply_to}" if d.reply_to else ""): d
                for d in store.all(profile_id) if d.lesson_id == lesson_id}
        for target in set(kept) | {t for t in texts if not t.startswith("edit:")}:
            reply_to = target.partition(":")[2] or None
            text = texts.get(target, "")
            old = kept.get(target)
            if old is not None and old.body == text:
                continue
            if text.strip():
                store.save(profile_id, lesson_id, text, reply_to)
            elif old is not None:
                store.discard(profile_id, lesson_id, reply_to)
