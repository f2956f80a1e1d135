"""``explain --format text``: one block per bound step, then what no binding reaches.

    train-model  (Train model)
      selected by  'Train model' (KFP component name)
      runs if      tokenize.score > 0.9
      read reviews  s3://datasets/reviews/2024-06
        delivery   artifact at /data/reviews
        env        KFDATA_REVIEWS_DIR_PATH, KFDATA_REVIEWS_DIR_URI, KFDATA_REVIEWS_DIR_VERSION
        version    2024-06-01
        store      minio
    preprocess-images  (Preprocess images)
      read images  s3://datasets/images
        delivery   artifact at /kfdata/images
        per datum  glob '/*': one pod per datum; incremental: a re-run skips datums it processed
      write features  s3://datasets/features/v3
        per datum  each datum's result under s3://datasets/features/v3/<datum>
    ...
    steps no binding selects: notify, tokenize (Tokenize)
    datasets no binding uses: none
"""

from __future__ import annotations

from kfdata_compiler.explain.facts import BoundStep, DatasetUse, Facts


def version_text(use: DatasetUse) -> str:
    """The version a use is pinned to, or why it is not.

    >>> version_text(DatasetUse("vocab", "read", ..., version=None, ...))
    'floating (cache off)'
    """
    if use.version is not None:
        return use.version
    # Only reads switch the cache off: a write's URI is where the step puts its result.
    return "floating (cache off)" if use.mode == "read" else "floating"


def _where(use: DatasetUse) -> str:
    if use.into is not None:
        return f"{use.delivery} {use.into} at {use.path}"
    return f"{use.delivery} at {use.path}"


def datum_text(use: DatasetUse, per_datum: str | None) -> str | None:
    """What a datum binding makes of a use (docs/datums.md); None when it runs as a whole.

    >>> datum_text(DatasetUse(..., mode="read", datum=Datum("/*", incremental=True)), "images")
    "glob '/*': one pod per datum; incremental: a re-run skips datums it processed"
    """
    datum = use.datum  # never with ``into`` (KF321)
    if datum is not None and datum.fans_out:
        return f"glob {datum.glob!r}: one pod per datum" + (
            "; incremental: a re-run skips datums it processed" if datum.incremental else "")
    if datum is not None:
        return f"glob {datum.glob!r}: the whole dataset as one datum" + (
            "; incremental: a re-run on data it processed is skipped" if datum.incremental
            else "")
    if per_datum is not None and use.mode == "write":
        return f"each datum's result under {use.uri.rstrip('/')}/<datum>"
    return None


def _use(use: DatasetUse, per_datum: str | None) -> list[str]:
    datum = datum_text(use, per_datum)
    return [
        f"  {use.mode} {use.dataset}  {use.uri}",
        f"    delivery   {_where(use)}",
        *([f"    per datum  {datum}"] if datum else []),
        f"    env        {', '.join(use.env)}",
        f"    version    {version_text(use)}",
        f"    store      {use.store or 'none'}",
    ]


def _heading(step: BoundStep, workflow: str | None) -> str:
    name = step.template if step.label == step.template else f"{step.template}  ({step.label})"
    return f"{name}  in {workflow}" if workflow else name


def render_text(facts: Facts) -> str:
    """The text report (see the module's docstring)."""
    names = {w.doc: w.graph.name for w in facts.workflows}
    several = len(facts.workflows) > 1
    out = [f"{facts.pipeline} with {facts.spec}: {len(facts.steps)} bound "
           f"step{'s' if len(facts.steps) != 1 else ''}", ""]
    for step in facts.steps:
        out.append(_heading(step, names.get(step.doc) if several else None))
        out.extend(f"  selected by  {s.pattern!r} ({s.via or 'pattern'})" for s in step.selected_by)
        out.extend(f"  runs if      {condition}" for condition in step.runs_if)
        for use in step.uses:
            out.extend(_use(use, step.per_datum))
        out.append("")
    unbound = [s.template if s.label == s.template else f"{s.template} ({s.label})"
               for s in facts.unbound]
    out.append(f"steps no binding selects: {', '.join(unbound) or 'none'}")
    out.append(f"datasets no binding uses: {', '.join(facts.unused_datasets) or 'none'}")
    return "\n".join(out) + "\n"
