"""The README's explain example is the command's current output (the text block and the picture).

After an intended change: ``KFDATA_REGENERATE=1 .venv/bin/pytest tests/explain/test_readme.py``
(refused when ``CI`` is set), then review the README diff.
"""

from __future__ import annotations

import os
import re

import pytest

from kfdata_compiler.cli import main
from tests.paths import ROOT

README = ROOT / "README.md"
PIPELINE = "fixtures/kfp-v1-sentiment/pipeline.yaml"
TEXT = re.compile(rf"```text\n\$ kfdata-compile explain {re.escape(PIPELINE)}\n(.*?)```", re.S)
MERMAID = re.compile(r"```mermaid\n(.*?)```", re.S)
STEP = "train-model  (Train model)\n"  # the block the README shows


def _explain(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
             *extra: str) -> str:
    monkeypatch.chdir(ROOT)
    assert main(["explain", PIPELINE, *extra]) == 0
    return capsys.readouterr().out


def _step_block(out: str) -> str:
    start = out.index("\n" + STEP) + 1
    return out[start:out.index("\n\n", start) + 1]


def test_the_readme_shows_what_explain_prints(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = _step_block(_explain(capsys, monkeypatch))
    mermaid = _explain(capsys, monkeypatch, "--format", "mermaid")
    readme = README.read_text()
    if os.environ.get("KFDATA_REGENERATE"):
        assert not os.environ.get("CI"), "regenerating is refused in CI"
        readme = TEXT.sub(lambda m: m.group(0).replace(m.group(1), text), readme, count=1)
        readme = MERMAID.sub(lambda m: m.group(0).replace(m.group(1), mermaid), readme, count=1)
        README.write_text(readme)
    shown_text, shown_mermaid = TEXT.search(readme), MERMAID.search(readme)
    assert shown_text and shown_mermaid, "README has no explain example"
    assert len(MERMAID.findall(readme)) == 1
    assert shown_text.group(1) == text, "regenerate: KFDATA_REGENERATE=1 (see this module)"
    assert shown_mermaid.group(1) == mermaid, "regenerate: KFDATA_REGENERATE=1 (see this module)"
