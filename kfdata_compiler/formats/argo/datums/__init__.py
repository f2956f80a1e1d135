"""Per-datum fan-out and incremental runs on Argo (docs/datums.md).

A read with ``datum: {glob: "/*"}`` runs its step once per datum of the dataset:

- :mod:`.transform`: the glob as the list's expr-lang transformations, each with a Python twin;
- :mod:`.location`, :mod:`.listing`: the dataset's location, the ``data`` template listing it;
- :mod:`.needs`: what the bound step needs instead (its datum comes per item from the caller);
- :mod:`.fanout`: the pass adding the list and rewiring every caller (``withParam``);
- :mod:`.memoize`: the pass making an incremental step skip datums already processed;
- :mod:`.checks` (with :mod:`.calls`, :mod:`.incremental`, :mod:`.limits`, :mod:`.scan`):
  what the workflow must allow, before anything changes;
- :mod:`.names`: the names all of them add.
"""
