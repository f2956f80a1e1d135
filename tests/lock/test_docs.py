"""The lock's documentation says what the code does: every code, every store kind, the CI step."""

from __future__ import annotations

import re

from kfdata_compiler.lock.model import KINDS
from tests.paths import ROOT

LOCK_DOC = (ROOT / "docs" / "lock.md").read_text()
CODES = sorted(set(re.findall(r'"(KF5\d\d)"', "".join(
    p.read_text() for p in (ROOT / "kfdata_compiler" / "lock").glob("*.py")))))


def test_every_lock_code_is_documented() -> None:
    assert CODES == [f"KF{n}" for n in (501, 502, 503, 504, 505, 506, 510, 511, 512, 513, 514,
                                             515, 516)]
    spec_doc = (ROOT / "docs" / "spec.md").read_text()
    for code in CODES:
        assert f"| {code} |" in LOCK_DOC
        assert f"| {code} |" in spec_doc or "| KF510–KF514 |" in spec_doc


def test_each_store_kind_says_what_its_pin_guarantees() -> None:
    table = LOCK_DOC[LOCK_DOC.index("| kind | `lock` resolves"):]
    shown = {"gcs": "gs", "http": "http(s)"}  # as users write the URIs
    for kind, entry in KINDS.items():
        row = next(line for line in table.splitlines()
                   if line.startswith(f"| {shown.get(kind, kind)} |"))
        assert entry.split("-")[1] in row or entry in row
        assert ("**holds**" in row) == (kind in ("git", "pachyderm", "lakefs"))


def test_the_readme_shows_lock_and_the_ci_step() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## lock: pin floating data"):]
    assert "kfdata-compile lock --check --upgrade" in section
    assert "KFDATA_VOCAB_VERSION" in section and '"locked":true' in section
