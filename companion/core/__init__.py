"""Domain logic of the companion: library, packs, notes, progress. Never imports Qt."""
