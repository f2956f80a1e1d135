"""The KFP v2 format: a ``PipelineSpec`` (IR YAML, as ``kfp.compiler`` writes it) and its
optional ``PlatformSpec`` (kfp-kubernetes). The only package that spells IR paths.

    KFPV2.steps(docs).select("train")   ->  [Step(0, 4, {"name": "for-loop-2/train", ...})]
    KFPV2.slot_path("env", node, doc)   ->  ("container", "env")

This module is loaded with the format registry, so it holds only what every compile asks of it
(does a file look like IR); everything else loads on first use, when a file is IR (the compile
of an Argo file never pays for it: ``benchmarks/bench_compile.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kfdata_compiler.diagnostics import Diagnostic, Location, render_path
from kfdata_compiler.formats.base import Docs, Pass, Slot, Steps
from kfdata_compiler.load import Source
from kfdata_compiler.plan.actions import Action, Owner
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.plan.paths import EditPath, walk

if TYPE_CHECKING:
    from kfdata_compiler.formats.graph import Graph
    from kfdata_compiler.plan import Access, Plan, Target
    from kfdata_compiler.spec import DataBindings

IR_KEYS = ("pipelineInfo", "root", "deploymentSpec")
_WHAT = {"dag": "DAG task {} (a loop, condition, sub-pipeline or exit handler)",
         "importer": "importer task {}", "resolver": "resolver task {}",
         "missing": "task {}, whose component or executor is missing"}


def is_pipeline_spec(doc: Any) -> bool:
    """A ``PipelineSpec``: ``pipelineInfo``, ``root`` and ``deploymentSpec``, no ``kind``."""
    return isinstance(doc, dict) and "kind" not in doc and all(k in doc for k in IR_KEYS)


class KfpV2Format:
    """The answers :class:`~kfdata_compiler.formats.base.Format` asks of KFP v2 IR."""

    name = "kfp-v2"

    @property
    def slots(self) -> Mapping[str, Slot]:
        """The IR's placement table (:mod:`.slots`)."""
        from kfdata_compiler.formats.kfpv2.slots import SLOTS

        return SLOTS

    @property
    def passes(self) -> tuple[Pass, ...]:
        """Clones, importers, task inputs, env, platform entries, workspace, lineage."""
        from kfdata_compiler.formats.kfpv2 import passes, platform

        return (passes.clone_nodes, passes.add_importers, passes.feed_tasks, platform.add_env,
                platform.add_platform, platform.add_workspace, platform.record_lineage)

    def accepts(self, source: Source) -> bool:
        """The first document is a pipeline spec (a second one is optional)."""
        return bool(source.docs) and is_pipeline_spec(source.docs[0])

    def check(self, source: Source) -> list[Diagnostic]:
        """KF600 for documents an IR file cannot hold."""
        from kfdata_compiler.formats.kfpv2.documents import check

        return check(source)

    def claims(self, doc: Any) -> bool:
        """The pipeline spec is rewritten (the platform spec too, as its companion)."""
        return is_pipeline_spec(doc)

    def steps(self, docs: Docs) -> Steps:
        """Tasks at any depth by path, name or glob (:mod:`.tasks`)."""
        from kfdata_compiler.formats.kfpv2.tasks import Tasks

        return Tasks(docs)

    def label(self, node: Any) -> str:
        """``task 'for-loop-2/train'``."""
        return f"task {node.get('name')!r}"

    def not_runnable(self, node: Any) -> str | None:
        """Only container tasks run code of their own."""
        kind = node.get("kind")
        if kind == "container":
            return None
        what = _WHAT.get(kind, "task {}").format(repr(node["name"]))
        return f"{what}; only container tasks run code"

    def ambiguities(self, source: Source, doc: int) -> list[Diagnostic]:
        """None: tasks, components and executors are keys of mappings, unique by YAML."""
        return []

    def input_for(self, node: Any, name: str) -> tuple[str, str] | None:
        """The component's input artifact ``name`` (its path is the launcher's choice)."""
        from kfdata_compiler.formats.kfpv2.ir import input_defs

        return (name, "") if name in input_defs(node.get("body"), "artifacts") else None

    def input_names(self, node: Any) -> list[str]:
        """The component's input artifacts."""
        from kfdata_compiler.formats.kfpv2.ir import input_defs

        return sorted(input_defs(node.get("body"), "artifacts"), key=str)

    def conflicts(self, source: Source, targets: Sequence[Target],
                  spec: DataBindings) -> list[Diagnostic]:
        """What KFP v2 cannot deliver, and collisions with what the tasks already have."""
        from kfdata_compiler.formats.kfpv2.conflicts import conflicts

        return conflicts(source, targets, spec)

    def taken(self, doc: Any, action: Action) -> set[str]:
        """The keys already in the mapping an added node goes into."""
        found = walk(doc, (*action.at, *self.slots[action.slot].path))
        return {str(k) for k in found} if isinstance(found, dict) else set()

    def nodes(self, doc: Any) -> dict[str, Any]:
        """Every task by path (journals are kept per document, not per node)."""
        from kfdata_compiler.formats.kfpv2.tasks import Tasks

        return {v["name"]: v for v in Tasks([doc]).views} if is_pipeline_spec(doc) else {}

    def owner_path(self, doc: Any, name: str | None) -> tuple[str | int, ...]:
        """The document itself: the only owner."""
        return ()

    def shape_problem(self, exc: ShapeError, source: Source) -> Diagnostic:
        """KF600 for a field of the wrong type the rewrite had to add to."""
        steps = [s for s in exc.path if isinstance(s, (str, int))]
        return Diagnostic("KF600", f"cannot add to {'.'.join(map(str, steps))}: it is a "
                          f"{type(exc.found).__name__}, not a {exc.expected.__name__}",
                          source.positions.locate(tuple(steps), exc.owner[0]),
                          "fix the pipeline: recompile it with the kfp SDK")

    def slot_path(self, slot: str, node: Any, doc: Any) -> EditPath:
        """The slot's path below the node ``at`` names (no placeholders in the IR)."""
        return self.slots[slot].path

    def journal_key(self) -> tuple[EditPath, str]:
        """``platforms.kfdata.config.edits`` of the platform document."""
        from kfdata_compiler.formats.kfpv2.slots import JOURNAL_AT, JOURNAL_KEY

        return JOURNAL_AT, JOURNAL_KEY

    def keep_journals(self, docs: Docs, journals: Mapping[Owner, list[list[Any]]]) -> bool:
        """Both documents' journals go to the platform document (:mod:`.journal`)."""
        from kfdata_compiler.formats.kfpv2.journal import keep

        keep(docs, journals)
        return True

    def deliver(self, access: Access, node: dict[str, Any], spec: DataBindings) -> Access:
        """The launcher's path and the env it implies (:mod:`.delivery`)."""
        from kfdata_compiler.formats.kfpv2.delivery import deliver

        return deliver(access, node, spec)

    def as_run(self, plan: Plan) -> Plan:
        """As resolved: the IR's passes place every need as it is."""
        return plan

    def undo(self, source: Source) -> bool:
        """Read the file as kfp wrote it and undo an earlier compile (KF111)."""
        from kfdata_compiler.formats.kfpv2.journal import undo

        return undo(source)

    def validate(self, docs: Docs, plan: Plan, file: str) -> list[Diagnostic]:
        """Graph rules broken where the plan changed something (the input's own problems are
        not blamed on the compile): a finding at, above or below a path an action wrote."""
        from kfdata_compiler.formats.kfpv2.graphcheck import check

        return [Diagnostic(f.code, f.message, Location(file, json_path=render_path(f.path)))
                for f in check(docs) if self._touches(plan, f.doc, f.path)]

    def _touches(self, plan: Plan, doc: int, path: tuple[str | int, ...]) -> bool:
        """Whether an action of ``plan`` writes at, above or below ``path`` of ``doc``."""
        for action in plan.actions:
            at = (*action.at, *self.slots[action.slot].path, *([action.key] if action.key else []))
            if action.owner[0] == doc and (path[:len(at)] == at or at[:len(path)] == path):
                return True
        return False

    def lint_touched(self, source: Source, plan: Plan) -> list[Diagnostic]:
        """The graph rules ``validate`` checks, on the input, at the input's lines."""
        from kfdata_compiler.formats.kfpv2.graphcheck import check

        return [Diagnostic(f.code, f.message, source.positions.locate(f.path, f.doc))
                for f in check(source.docs) if self._touches(plan, f.doc, f.path)]

    def lint(self, source: Source, argo_version: str | None = None, deep: bool = False
             ) -> list[Diagnostic]:
        """The IR's graph rules (:mod:`.graphcheck`) on the file (no Argo version applies);
        ``deep``: then kfp's own checks (:mod:`.deep_check`), on a file whose graph is sound."""
        from kfdata_compiler.formats.kfpv2.graphcheck import check

        found = [Diagnostic(f.code, f.message, source.positions.locate(f.path, f.doc))
                 for f in check(source.docs)]
        if deep and not found:
            from kfdata_compiler.formats.kfpv2.deep_check import diagnose

            found = diagnose(source)
        return found

    def emit(self, docs: Docs, original: str = "") -> str:
        """kfp's style: header comments kept, sorted keys, ``---`` between documents."""
        from kfdata_compiler.formats.kfpv2.documents import emit

        return emit(docs, original)

    def graph(self, docs: Docs, index: int) -> Graph:
        """The root DAG down to the leaf tasks (:mod:`.graph`); a pipeline calls no other
        document."""
        from kfdata_compiler.formats.kfpv2.graph import graph

        return graph(docs[index])


KFPV2 = KfpV2Format()
