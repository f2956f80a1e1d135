"""Where the test data lives: the repo's fixtures and goldens, and ../shared (optional)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
GOLDEN = ROOT / "golden"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def cases() -> list[str]:
    """Every fixture case: a directory with pipeline.yaml and pipeline.kfdata.yaml."""
    return sorted(
        p.name for p in FIXTURES.iterdir()
        if (p / "pipeline.yaml").is_file() and (p / "pipeline.kfdata.yaml").is_file()
    )
