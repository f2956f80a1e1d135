"""What a pipeline format answers, so that nothing outside its package knows its field paths.

The compiler, resolve and the rewrite talk to a format only through :class:`Format`; the slot
table (:class:`Slot` by name) is where each kind of injection goes::

    ARGO.slots["env"]  ->  Slot(node="template", path=("<main>", "env"), shape="list",
                                definition="io.k8s.api.core.v1.EnvVar")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.plan.actions import Action, Owner
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.plan.paths import EditPath

if TYPE_CHECKING:
    from kfdata_compiler.formats.graph import Graph
    from kfdata_compiler.load import Source
    from kfdata_compiler.plan import Access, Plan, Target
    from kfdata_compiler.spec import DataBindings

Docs = list[Any]
Locate = Callable[[JsonPath], Location]


class Slot(NamedTuple):
    """Where one kind of injection goes, relative to a node of the format.

    ``node`` is what ``path`` starts from (``workflow``, ``template``, ``call``); ``shape`` is
    ``list`` (named entries), ``groups`` (lists of named entries), ``map`` (keys) or ``field``
    (one value); ``definition`` names the schema of one entry or value, for validation;
    ``restores`` says what a journal may restore here: ``nothing`` (kfdata only adds its own
    entries), ``replaced`` (an entry replaced by name) or ``value`` (a field kfdata sets).
    """

    node: str
    path: tuple[str, ...]
    shape: str
    definition: str | None = None
    restores: str = "nothing"


class Step(NamedTuple):
    """A node a binding selected: its document, its position there, the node itself, and how
    the binding named it (``template name``, ``KFP component name``, ``KFP display name``,
    ``step name``, ``DAG task name``, ``glob``)."""

    doc: int
    position: int
    node: dict[str, Any]
    via: str = ""


class Steps(Protocol):
    """The index of what bindings may name, built once per compile."""

    def select(self, pattern: str) -> Iterator[Step]:
        """The steps a binding's ``step`` pattern selects, in document order."""

    def names(self) -> list[str]:
        """Every name a binding could use, sorted (for "did you mean" hints)."""

    def call_names(self) -> list[tuple[str, str]]:
        """(call name, name of the node it selects), sorted, for the names of calls (Argo: steps
        and DAG tasks) that are no node's own name: ``[("consume", "print-message")]``."""


Pass = Callable[[Docs, "Plan"], Iterator[Action]]


class Format(Protocol):
    """One input format: Argo (with KFP v1's conventions) today, KFP v2 IR next."""

    @property
    def name(self) -> str:
        """A short name for messages (``argo``)."""

    @property
    def slots(self) -> Mapping[str, Slot]:
        """The placement table: slot name -> where it is."""

    @property
    def passes(self) -> tuple[Pass, ...]:
        """The rewrite passes, in order: each lowers part of the plan to actions."""

    def accepts(self, source: Source) -> bool:
        """Whether the file is in this format (formats are asked in ``FORMATS`` order)."""

    def check(self, source: Source) -> list[Diagnostic]:
        """The documents of an accepted file that the format cannot take."""

    def claims(self, doc: Any) -> bool:
        """Whether this format rewrites the document."""

    def steps(self, docs: Docs) -> Steps:
        """The step index of the documents."""

    def label(self, node: dict[str, Any]) -> str:
        """How messages name a node (``template 'train'``)."""

    def not_runnable(self, node: dict[str, Any]) -> str | None:
        """Why a selected node cannot be bound (it runs no code of its own), or None."""

    def ambiguities(self, source: Source, doc: int) -> list[Diagnostic]:
        """Names the document repeats where the format finds things by name."""

    def input_for(self, node: dict[str, Any], name: str) -> tuple[str, str] | None:
        """The (name, path) of the input that ``into: name`` feeds, or None."""

    def input_names(self, node: dict[str, Any]) -> list[str]:
        """The inputs ``into`` could name (for hints)."""

    def conflicts(self, source: Source, targets: Sequence[Target],
                  spec: DataBindings) -> list[Diagnostic]:
        """What the bound steps already have that the plan would collide with."""

    def taken(self, doc: Any, action: Action) -> set[str]:
        """The names already used where ``action`` adds a node (kfdata's names are checked
        against them before anything changes)."""

    def nodes(self, doc: Any) -> dict[str, Any]:
        """The named nodes of a document that own journals (Argo: templates), by name."""

    def owner_path(self, doc: Any, name: str | None) -> JsonPath:
        """The JSON path of a journal owner (``()``: the document)."""

    def shape_problem(self, exc: ShapeError, source: Source) -> Diagnostic:
        """The input's problem behind a node of the wrong type met by the rewrite."""

    def slot_path(self, slot: str, node: Any, doc: Any) -> EditPath:
        """The concrete path of a slot in ``node`` of ``doc`` (placeholders filled in)."""

    def journal_key(self) -> tuple[EditPath, str]:
        """Where an owner keeps its journal: the mapping's path and the key."""

    def keep_journals(self, docs: Docs, journals: Mapping[Owner, list[list[Any]]]) -> bool:
        """Store every changed owner's journal in one place of the format's own and return True
        (KFP v2 IR: its strictly parsed pipeline document has no annotations), or return False:
        each owner keeps its own at ``journal_key``."""

    def deliver(self, access: Access, node: dict[str, Any], spec: DataBindings) -> Access:
        """The access as this format delivers it: its path and env (KFP v2: where the launcher
        puts the data), its needs; Argo's is the drivers' own."""

    def as_run(self, plan: Plan) -> Plan:
        """The plan's needs as the steps get them at run time, where the passes reshape them
        (Argo: a per-datum step's datum comes from its caller); what ``explain`` shows."""

    def undo(self, source: Source) -> bool:
        """Undo earlier journals in the documents; True if any was (``LoadError`` KF111)."""

    def validate(self, docs: Docs, plan: Plan, file: str) -> list[Diagnostic]:
        """Problems the rewrite introduced (none when the output is sound)."""

    def lint_touched(self, source: Source, plan: Plan) -> list[Diagnostic]:
        """The errors ``lint`` finds in the parts of the input (``source``, its earlier edits
        undone) that ``plan`` changes, located in the input: the compiler says these of the
        input when its self-check (``validate``) finds the output broken there."""

    def lint(self, source: Source, argo_version: str | None = None, deep: bool = False
             ) -> list[Diagnostic]:
        """The format's own checks of any document it claims, for the Argo release it will
        run on (``--argo-version``; None: the default, docs/datums.md); ``deep``: also the
        checks of the format's own tools, where it has any (``lint --deep``)."""

    def emit(self, docs: Docs, original: str = "") -> str:
        """The output text; ``original`` is the input's, for what the format keeps of it
        (KFP v2 IR: kfp's header comments)."""

    def graph(self, docs: Docs, index: int) -> Graph:
        """The calls of ``docs[index]``, a document it claims, entry point down to the leaf
        steps (``explain``); the file's other documents say which of its calls run a template
        another document holds (``Node.ref``)."""
