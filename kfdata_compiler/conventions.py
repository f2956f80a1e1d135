"""File naming conventions: where a pipeline's spec and its bound output live.

pipelines/train.yaml  ->  spec  pipelines/train.kfdata.yaml, else pipelines/kfdata.yaml
                      ->  output pipelines/train.bound.yaml
"""

from __future__ import annotations

from pathlib import Path

SPEC_SUFFIX = ".kfdata"
OUTPUT_SUFFIX = ".bound"
DIRECTORY_SPEC = "kfdata.yaml"
_YAML = (".yaml", ".yml")


def _split(path: Path) -> tuple[str, str]:
    ext = path.suffix if path.suffix in _YAML else ""
    return (path.name[: -len(ext)] if ext else path.name), (ext or ".yaml")


def spec_candidates(pipeline: Path) -> list[Path]:
    """Where a pipeline's spec is looked for, in order."""
    stem, ext = _split(pipeline)
    first = [pipeline.with_name(stem + SPEC_SUFFIX + e) for e in dict.fromkeys((ext, *_YAML))]
    return [*first, pipeline.with_name(DIRECTORY_SPEC)]


def find_spec(pipeline: Path) -> Path | None:
    """The first existing spec candidate, or None."""
    return next((p for p in spec_candidates(pipeline) if p.is_file()), None)


def output_path(pipeline: Path) -> Path:
    """The conventional output path: ``x.yaml`` -> ``x.bound.yaml``."""
    stem, ext = _split(pipeline)
    return pipeline.with_name(stem + OUTPUT_SUFFIX + ext)


def role(path: Path) -> str:
    """``spec``, ``output`` or ``pipeline``, from the file name alone."""
    stem, _ = _split(path)
    if path.name in (DIRECTORY_SPEC, "kfdata.yml") or stem.endswith(SPEC_SUFFIX):
        return "spec"
    if stem.endswith(OUTPUT_SUFFIX):
        return "output"
    return "pipeline"


def pipeline_for(path: Path) -> Path | None:
    """The pipeline a spec or output file belongs to (``x.kfdata.yaml`` -> ``x.yaml``)."""
    kind = role(path)
    if kind == "pipeline":
        return path
    if path.name in (DIRECTORY_SPEC, "kfdata.yml"):
        return None  # a directory spec belongs to every pipeline beside it
    stem, ext = _split(path)
    base = stem[: -len(SPEC_SUFFIX if kind == "spec" else OUTPUT_SUFFIX)]
    return path.with_name(base + ext)
