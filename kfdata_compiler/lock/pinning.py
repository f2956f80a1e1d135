"""The compile's side of the lock: fresh entries become versions, the rest is reported.

    Pinning(lock_bytes, "p.kfdata.lock").pin(check_spec(spec_source))
    ->  Checked(bindings with vocab: Dataset(..., version='sha256:92ca...', locked=True),
                problems=(... KF503 warning "dataset 'corpus' changed since ... pinned it" ...))

An entry is fresh when its ``input`` digest is the spec's current one. By mode:

- ``default``: a stale or missing entry (or one for a dataset the spec no longer locks) is a
  warning, and the dataset floats; without a lock file nothing is said;
- ``locked`` (cargo's and uv's ``--locked``): each of those is an error, and so is a missing
  lock file: the lock must be what ``kfdata-compile lock`` would write;
- ``frozen``: also every read dataset the spec does not write must be pinned (KF506).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath
from typing import NamedTuple

from kfdata_compiler.diagnostics import Diagnostic, Location, Severity
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.lock.lockfile import read_lock
from kfdata_compiler.lock.model import KINDS, Lock, outdated
from kfdata_compiler.lock.pinned import pinned
from kfdata_compiler.lock.select import floating, input_digest
from kfdata_compiler.spec import Checked, DataBindings, Dataset

MODES = ("default", "locked", "frozen")


class Pinning(NamedTuple):
    """A compile's lock: its bytes (None: there is no lock file), where it is, and the mode."""

    data: bytes | None
    path: str = "<lock>"
    mode: str = "default"

    def pin(self, checked: Checked) -> Checked:
        """The checked spec with every fresh entry's dataset pinned, and the lock's findings.

        A lock that cannot be read is reported with the spec's problems (file:line:col). The
        entries are compared only with a spec that has no errors: a dataset left out for its
        own problem would look unlocked.
        """
        if self.mode not in MODES:
            raise ValueError(f"lock mode {self.mode!r} is not one of {', '.join(MODES)}")
        spec = checked.bindings
        lock = None
        if self.data is not None:
            try:
                lock = read_lock(self.data, self.path, PurePath(spec.file).name)
            except KfdataError as exc:
                return checked._replace(problems=checked.problems + exc.diagnostics)
        if checked.failed:
            return checked
        datasets, found = _compare(spec, lock, self)
        warnings = tuple(d for d in found if d.severity is Severity.WARNING)
        pinned_spec = replace(spec, datasets=datasets, warnings=spec.warnings + warnings)
        return Checked(pinned_spec, checked.problems + tuple(found))


def _compare(spec: DataBindings, lock: Lock | None,
             how: Pinning) -> tuple[dict[str, Dataset], list[Diagnostic]]:
    strict = how.mode != "default"
    name = PurePath(how.path).name
    again = f"run kfdata-compile lock {spec.file} and commit {name}"
    out: list[Diagnostic] = []

    def report(code: str, message: str, where: Location, floats: bool = True) -> None:
        severity = Severity.ERROR if strict else Severity.WARNING
        if floats and not strict:
            message += ": it floats (no version; KFP's cache is off for its steps)"
        out.append(Diagnostic(code, message, where, again, severity))

    if lock is None and strict:
        out.append(Diagnostic("KF504", f"no lock file {name} beside the spec (--{how.mode})",
                              Location(how.path), again.replace(" and commit", ", then commit")))
    entries = dict(lock.entries) if lock else {}
    datasets = dict(spec.datasets)
    for item in floating(spec):
        where = spec.locate(("datasets", item.name))
        if not item.lockable or item.kind is None:
            if how.mode == "frozen":
                out.append(Diagnostic("KF506", f"dataset {item.name!r} is not pinned: "
                                      f"{item.why_not}", where, "declare its version in the "
                                      "spec: --frozen needs every dataset it reads pinned"))
            continue
        entry = entries.pop(item.name, None)
        if entry is None:
            if lock is not None:
                report("KF504", f"dataset {item.name!r} is not in {name}", where)
        elif entry.input != input_digest(item) or entry.kind != KINDS[item.kind]:
            report("KF503", f"dataset {item.name!r} changed in the spec since {name} pinned it",
                   lock.where(("datasets", item.name)) if lock else where)
        elif (why := outdated(entry)) is not None:
            # The spec did not move, the pin's meaning did: a version that cannot be trusted
            # is not used (nor, in --locked, accepted) until `lock` makes it again.
            report("KF515", f"dataset {item.name!r}: the pin in {name} is stale: {why}",
                   lock.where(("datasets", item.name)) if lock else where)
        else:
            datasets[item.name] = pinned(item.dataset, item.kind, entry)
    for extra in sorted(entries):
        report("KF505", f"{name} pins {extra!r}, which the spec does not lock (not read, "
               "written by a step, or with a version of its own)",
               lock.where(("datasets", extra)) if lock else Location(how.path), floats=False)
    return datasets, out
