"""memoize_incremental: a re-run skips the datums a run already processed (Argo's memoize).

    read images per datum, incremental, on template preprocess-images
    ->  inputs.parameters: [..., {name: kfdata-namespace, value: "{{workflow.namespace}}"}]
        memoize:
          key: "{{=sprig.sha256sum('kfdata/v1:<S>:' + inputs.parameters['kfdata-namespace']
                                   + ':' + toJson(inputs.parameters))}}"
          maxAge: ''
          cache: {configMap: {name: "kfdata-memo-<S[:16]>-{{=sprig.substr(0, 1,
                  sprig.sha256sum(inputs.parameters['kfdata-datum-images']))}}"}}

``S`` is the sha256 of a canonical JSON (sorted keys, no spaces) of the dataset (glob, name,
URI, version) and the template as emitted, without ``memoize`` and ``metadata``: a new version
or any change to the step gets a fresh key, and a ConfigMap set of its own (``S[:16]``). With
``immutableDatums`` the version is left out (and the step's ``_VERSION`` env with it): datums
seen under the same prefix are skipped across versions. The datum (a parameter) picks one of
``shards`` ConfigMaps by the first hex digits of its sha256 (16: one digit, 256: two).

The namespace reaches the key through an input parameter, not as ``workflow.namespace``:
before Argo 3.5.15 / 3.6.8 / 3.7.0 ``SubstituteParams`` (``workflow/common/util.go``) runs
the globals and the inputs in two passes with separate scopes (``replaceMap =
make(...)`` between them, removed by commit 6fe7eaa4ac / dd63684662), so an expression naming
both is never resolved and the controller refuses the literal key ("invalid cache key",
``workflow/controller/cache/configmap_cache.go``). The parameter's value
``{{workflow.namespace}}`` is resolved by the first pass; the key, by the second, on every
release. The shard's digits are cut with sprig's ``substr``, not expr-lang's string slicing.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.datums import names
from kfdata_compiler.formats.base import Format
from kfdata_compiler.plan import Access, Plan, Target
from kfdata_compiler.plan.actions import Action, Inject
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.rewrite.apply import place

VERSION = "kfdata/v1"  # the key's own version: a new one never meets old cache entries
DIGITS = {16: 1, 256: 2}  # shards -> hex digits of the datum's sha256 that pick the ConfigMap


def incremental(target: Target) -> Access | None:
    """The read whose datums a target skips when seen (None: it is not incremental)."""
    for access in target.accesses:
        datum = access.use.datum
        if access.mode == "read" and datum is not None and datum.incremental:
            return access
    return None


def dataset_fields(read: Access) -> dict[str, Any]:
    """What the key knows of the dataset: glob, name, URI, and the version unless its datums
    are immutable."""
    datum = read.use.datum
    assert datum is not None
    version = None if read.dataset.immutable_datums else read.version
    return {"glob": datum.glob, "name": read.dataset.name, "uri": read.dataset.uri,
            "version": version}


def digest(fields: dict[str, Any], template: dict[str, Any]) -> str:
    """``S``: the sha256 of the dataset's fields and the emitted template, canonical JSON.

    >>> digest({"glob": "/*", ...}, {"name": "preprocess-images", ...})   # docs/datums.md
    'e33c3cd44d02f015bf0ff6b4697c002a38ebc7d937f481027d75b41f54cc017d'
    """
    text = json.dumps({"kfdata": "datum/v1", "dataset": fields, "template": template},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The incremental template's namespace parameter: the first substitution pass resolves it.
NAMESPACE_PARAMETER = {"name": names.NAMESPACE, "value": "{{workflow.namespace}}"}


def memo(s: str, read: Access) -> dict[str, Any]:
    """The ``memoize`` of a template whose digest is ``s`` (it has :data:`NAMESPACE_PARAMETER`,
    so ``inputs`` is always in the key's scope)."""
    datum = read.use.datum
    assert datum is not None
    namespace = f"inputs.parameters['{names.NAMESPACE}']"
    key = (f"{{{{=sprig.sha256sum('{VERSION}:{s}:' + {namespace} + ':' + "
           "toJson(inputs.parameters))}}")
    name = f"{names.MEMO}{s[:16]}"
    digits = DIGITS.get(datum.shards)
    if digits and datum.fans_out:
        param = names.parameter(read.dataset.name)
        name += (f"-{{{{=sprig.substr(0, {digits}, "
                 f"sprig.sha256sum(inputs.parameters['{param}']))}}}}")
    return {"key": key, "maxAge": datum.max_age, "cache": {"configMap": {"name": name}}}


def emitted(original: Any, target: Target, earlier: Sequence[Action], fmt: Format,
            read: Access) -> dict[str, Any] | None:
    """The bound template as ``earlier`` (the earlier passes' actions on it) leave it, without
    ``memoize`` and ``metadata`` (and, for immutable datums, without the dataset's
    ``_VERSION`` env); None when a field of the wrong type stops the rewrite (which reports
    it)."""
    copied = copy.deepcopy(original)
    mini: dict[str, Any] = {"kind": "Workflow", "spec": {"templates": [copied]}}
    owner = (target.doc, target.node)
    own = tuple(a._replace(owner=(0, target.node)) for a in earlier if a.owner == owner)
    try:
        place([mini], own, fmt)
    except ShapeError:
        return None
    template = {k: v for k, v in copied.items() if k not in ("memoize", "metadata")}
    if read.dataset.immutable_datums:
        container = argo.main_container(template)
        dropped = f"KFDATA_{read.stem}_VERSION"
        if isinstance(container.get("env"), list):
            container["env"] = [e for e in container["env"]
                                if not (isinstance(e, dict) and e.get("name") == dropped)]
    return template


def memoize_incremental(docs: list[Any], plan: Plan, earlier: Callable[[], tuple[Action, ...]],
                        fmt: Format) -> Iterator[Action]:
    """``memoize`` on each template read incrementally (slot ``memoize``); ``earlier`` gives
    the actions of the passes before this one, which make the template what it is."""
    chosen = [(t, r) for t in plan.targets if (r := incremental(t)) is not None]
    if not chosen:
        return
    # The earlier actions by owner, sorted once: filtering all of them for each template made
    # the pass quadratic (issue 19 §5: 3,200 incremental templates, 13.5 s of 13.9 s).
    before: dict[tuple[int, str | None], list[Action]] = {}
    for action in earlier():
        before.setdefault(action.owner, []).append(action)
    nodes: dict[int, dict[str, Any]] = {}
    for target, read in chosen:
        if target.doc not in nodes:
            nodes[target.doc] = fmt.nodes(docs[target.doc])
        owner = (target.doc, target.node)
        namespace = Inject(owner, "input_parameter", dict(NAMESPACE_PARAMETER))
        template = emitted(nodes[target.doc].get(target.node), target,
                           (*before.get(owner, ()), namespace), fmt, read)
        if template is None:
            continue
        s = digest(dataset_fields(read), template)
        yield namespace
        yield Inject(owner, "memoize", memo(s, read))
