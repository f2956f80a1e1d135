"""The Argo format: Workflows, (Cluster)WorkflowTemplates and CronWorkflows, as KFP v1's
``dsl-compile``, hera or a hand author writes them. The only package that spells Argo paths.

    ARGO.steps(docs).select("Train model")      ->  [Step(doc=0, index=3, node={...})]
    ARGO.slot_path("env", template, doc)        ->  ("container", "env")
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.formats.argo import documents, journal, kfpv1, shapes, slots
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.conflicts import conflicts
from kfdata_compiler.formats.argo.datums import fan_out, memoize_incremental, on_datums
from kfdata_compiler.formats.argo.into import feed_inputs
from kfdata_compiler.formats.argo.selection import Templates, ambiguities
from kfdata_compiler.formats.argo.staging import staged
from kfdata_compiler.formats.base import Docs, Pass, Slot
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access, Plan
from kfdata_compiler.plan.actions import Action
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.plan.paths import EditPath, walk
from kfdata_compiler.rewrite.annotate import annotate_pods
from kfdata_compiler.rewrite.artifacts import add_artifacts
from kfdata_compiler.rewrite.env import add_env
from kfdata_compiler.rewrite.init_containers import add_init_containers
from kfdata_compiler.rewrite.lineage import record_lineage
from kfdata_compiler.rewrite.repository import set_artifact_repository
from kfdata_compiler.rewrite.volumes import add_volumes
from kfdata_compiler.spec import DataBindings
from kfdata_compiler.yamlio import dump_documents

if TYPE_CHECKING:  # the graph is explain's: the compile path does not load it
    from kfdata_compiler.formats.graph import Graph

# The passes that place artifacts and env run on the plan's per-datum needs (datums/needs.py).
BEFORE_MEMOIZE: tuple[Pass, ...] = (
    on_datums(add_artifacts),
    feed_inputs,
    staged(add_volumes),
    add_init_containers,
    staged(on_datums(add_env)),
    set_artifact_repository,
    annotate_pods,
    record_lineage,
    fan_out,
)


def memoize_datums(docs: Docs, plan: Plan) -> Iterator[Action]:
    """``memoize`` on templates read incrementally, keyed on the template as the passes
    before this one leave it (``datums.memoize``)."""

    def earlier() -> tuple[Action, ...]:
        return tuple(a for rewrite_pass in BEFORE_MEMOIZE for a in rewrite_pass(docs, plan))

    return memoize_incremental(docs, plan, earlier, ARGO)


PASSES: tuple[Pass, ...] = (*BEFORE_MEMOIZE, memoize_datums)


class ArgoFormat:
    """The answers :class:`~kfdata_compiler.formats.base.Format` asks of Argo documents."""

    name = "argo"
    slots: Mapping[str, Slot] = slots.SLOTS
    passes = PASSES

    def accepts(self, source: Source) -> bool:
        """Any file of Kubernetes objects (documents of other kinds pass through)."""
        return True

    def check(self, source: Source) -> list[Diagnostic]:
        """The documents Argo cannot take (KF108, KF109)."""
        return documents.check(source)

    def claims(self, doc: Any) -> bool:
        """Workflows and their template kinds are rewritten."""
        return argo.is_workflow(doc)

    def steps(self, docs: Docs) -> Templates:
        """Templates by name, KFP component or display name, or glob."""
        return Templates(docs)

    def label(self, node: Any) -> str:
        """``template 'train'``."""
        return f"template {node.get('name')!r}"

    def not_runnable(self, node: Any) -> str | None:
        """Only container and script templates run code of their own."""
        kind = argo.template_type(node)
        if kind in argo.LEAF_TYPES:
            return None
        return (f"{kind or 'an empty'} template {node.get('name')!r}; only container and "
                "script templates run code")

    def ambiguities(self, source: Source, doc: int) -> list[Diagnostic]:
        """KF402 for names that appear twice (templates; steps or tasks of one template)."""
        return [Diagnostic(
            "KF402", f"{finding.message}: kfdata-compile cannot tell which one to bind",
            source.positions.locate(finding.path, doc),
            "fix the pipeline: Argo requires these names to be unique (kfdata-compile lint "
            "lists every such problem)") for finding in ambiguities(source.docs[doc])]

    def input_for(self, node: Any, name: str) -> tuple[str, str] | None:
        """The input artifact ``into: name`` feeds: by its name, else by its KFP v1 input name
        (the artifact KFP placed at ``/tmp/inputs/<name>/data``)."""
        inputs = argo.input_artifacts(node)
        found = next((a for a in inputs if a.get("name") == name), None)
        if found is None:
            found = next((a for a in inputs if a.get("path") == kfpv1.kfp_input_path(name)),
                         None)
        if found is None or not isinstance(found.get("path"), str):
            return None
        return str(found["name"]), found["path"]

    def input_names(self, node: Any) -> list[str]:
        """The template's input artifacts."""
        return [str(a.get("name")) for a in argo.input_artifacts(node)]

    conflicts = staticmethod(conflicts)

    def taken(self, doc: Any, action: Action) -> set[str]:
        """The names in the list an added node goes into (steps: across every group)."""
        root = doc if action.owner[1] is None else self.nodes(doc).get(action.owner[1])
        found = walk(root, (*action.at, *self.slot_path(action.slot, root, doc)))
        entries = [e for item in found for e in (item if isinstance(item, list) else [item])
                   ] if isinstance(found, list) else []
        return {str(e.get("name")) for e in entries if isinstance(e, dict)}

    def nodes(self, doc: Any) -> dict[str, Any]:
        """The templates of a workflow by name (the first of a name: duplicates are refused)."""
        out: dict[str, Any] = {}
        for template in argo.templates(doc):
            out.setdefault(str(template.get("name")), template)
        return out

    def owner_path(self, doc: Any, name: str | None) -> tuple[str | int, ...]:
        """A template's JSON path, or the document's."""
        return shapes.owner_path(doc, name)

    def shape_problem(self, exc: ShapeError, source: Source) -> Diagnostic:
        """KF311 for a field of the wrong type the rewrite had to add to."""
        return shapes.shape_problem(exc, source)

    def slot_path(self, slot: str, node: Any, doc: Any) -> EditPath:
        """The slot's path in ``node`` (``container`` or ``script``; ``spec`` or
        ``spec.workflowSpec``)."""
        return slots.slot_path(slots.SLOTS[slot], node, doc)

    def journal_key(self) -> tuple[EditPath, str]:
        """``metadata.annotations["kfdata.dev/edits"]`` of each changed template or workflow."""
        return slots.JOURNAL_AT, slots.JOURNAL_KEY

    def keep_journals(self, docs: Docs, journals: Mapping[Any, list[list[Any]]]) -> bool:
        """Each template or workflow keeps its own journal (``journal_key``)."""
        return False

    def deliver(self, access: Access, node: Any, spec: DataBindings) -> Access:
        """As the driver built it: Argo's artifacts and volumes are the drivers' vocabulary."""
        return access

    def as_run(self, plan: Plan) -> Plan:
        """A per-datum step's needs as the passes place them (docs/datums.md)."""
        if not any(t.per_datum for t in plan.targets):
            return plan  # the datum machinery loads only for a plan that needs it
        from kfdata_compiler.formats.argo.datums.needs import per_datum

        return per_datum(plan)

    def undo(self, source: Source) -> bool:
        """Undo earlier journals (KF111 when one cannot be used)."""
        return journal.undo(source)

    def validate(self, docs: Docs, plan: Plan, file: str) -> list[Diagnostic]:
        """Schema and rule problems of everything the plan touched that the input lacked."""
        from kfdata_compiler.formats.argo.validate import validate

        return validate(docs, plan, file)

    def lint_touched(self, source: Source, plan: Plan) -> list[Diagnostic]:
        """``lint``'s errors in the documents' own fields and the templates the plan's
        actions own (:func:`.lint.lint_touched`)."""
        from kfdata_compiler.formats.argo.lint import lint_touched

        return lint_touched(source, plan)

    def lint(self, source: Source, argo_version: str | None = None, deep: bool = False
             ) -> list[Diagnostic]:
        """The strict schema and Argo's rules on every workflow of the source, for the Argo
        release ``argo_version`` (default: ``versions.DEFAULT``). ``deep`` adds nothing: Argo's
        official schema and its rules are already what ``argo lint`` checks offline."""
        from kfdata_compiler.formats.argo.lint import lint_source

        return lint_source(source, argo_version)

    def emit(self, docs: Docs, original: str = "") -> str:
        """Block-style YAML that Go reads exactly as we mean it (comments are not kept)."""
        return dump_documents(docs)

    def graph(self, docs: Docs, index: int) -> Graph:
        """Entry point, DAGs and steps down to the leaf templates; KFP display names; the
        templateRef calls into the file's template resources."""
        from kfdata_compiler.formats.argo.graph import graph  # only explain draws

        return graph(docs, index)


ARGO = ArgoFormat()
