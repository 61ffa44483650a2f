"""Lesson packs: the source format, the built ``.cpack`` file, signing, reading and importing.

See ``docs/pack-source.md`` and ``docs/pack-format.md``.
"""
