"""Every per-datum code is raised somewhere, documented in docs/spec.md and docs/datums.md, and
shown by an .err golden; the docs' version table agrees with the code."""

from __future__ import annotations

import re

from kfdata_compiler.formats.argo import versions
from tests.paths import GOLDEN, ROOT

SOURCES = [*(ROOT / "kfdata_compiler" / "formats" / "argo" / "datums").glob("*.py"),
           ROOT / "kfdata_compiler" / "resolve" / "datums.py",
           ROOT / "kfdata_compiler" / "spec" / "datum.py"]
CODES = sorted(set(re.findall(r'"(KF3[23]\d)"', "".join(p.read_text() for p in SOURCES))))
SPEC_DOC = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
DATUMS_DOC = (ROOT / "docs" / "datums.md").read_text(encoding="utf-8")


def test_every_code_is_documented_and_shown() -> None:
    assert CODES == [f"KF{n}" for n in range(320, 332)]
    errs = "".join(p.read_text(encoding="utf-8") for p in GOLDEN.glob("err-datum-*.err"))
    for code in CODES:
        assert f"| {code} |" in SPEC_DOC and f"| {code} |" in DATUMS_DOC, code
        assert f"error[{code}]" in errs, code
    assert "| KF419 |" in SPEC_DOC and "KF419" in DATUMS_DOC


def test_the_docs_name_the_codes_thresholds() -> None:
    text = " ".join(DATUMS_DOC.split())  # line breaks of the prose do not matter
    assert f"Argo {versions.DATUMS} or later" in text and f"default `{versions.DEFAULT}`" in text
    assert f"({versions.kfp_releases(versions.DATUMS)})" in text
