"""``explain --format json``: the facts as plain data (also ``bind(...).bindings``).

    {"pipeline": "p.yaml", "spec": "p.kfdata.yaml", "format": "argo",
     "steps": [{"doc": 0, "template": "preprocess", "label": "Preprocess", "cache_off": true,
                "selected_by": [{"binding": 0, "step": "preprocess", "via": "template name"}],
                "datasets": [{"dataset": "reviews", "mode": "read", "delivery": "artifact", ...}]}],
     "unbound_steps": [{"doc": 0, "template": "notify", "label": "notify"}],
     "unused_datasets": [], "workflows": [{"doc": 0, "name": "sentiment-", "nodes": [...],
                                           "edges": [...]}]}
"""

from __future__ import annotations

import json
from typing import Any

from kfdata_compiler.explain.facts import BoundStep, DatasetUse, Facts, Workflow


def _use(use: DatasetUse) -> dict[str, Any]:
    datum = use.datum
    return {"dataset": use.dataset, "mode": use.mode, "delivery": use.delivery,
            "path": use.path, "into": use.into, "env": list(use.env), "version": use.version,
            "floating": use.version is None, "store": use.store, "uri": use.uri,
            # The spec's own spelling (maxAge), so a script can compare it with the spec.
            "datum": None if datum is None else {"glob": datum.glob,
                                                 "incremental": datum.incremental,
                                                 "maxAge": datum.max_age, "shards": datum.shards}}


def _step(step: BoundStep) -> dict[str, Any]:
    return {"doc": step.doc, "template": step.template, "label": step.label,
            "selected_by": [{"binding": s.binding, "step": s.pattern, "via": s.via}
                            for s in step.selected_by],
            "cache_off": step.cache_off, "per_datum": step.per_datum,
            "runs_if": list(step.runs_if),
            "datasets": [_use(u) for u in step.uses]}


def _workflow(workflow: Workflow) -> dict[str, Any]:
    graph = workflow.graph
    return {"doc": workflow.doc, "name": graph.name,
            "nodes": [{**n._asdict(), "ref": n.ref._asdict() if n.ref else None}
                      for n in graph.nodes],
            "edges": [e._asdict() for e in graph.edges]}


def as_data(facts: Facts) -> dict[str, Any]:
    """The facts as JSON-ready dicts and lists (see the module's docstring)."""
    return {
        "pipeline": facts.pipeline,
        "spec": facts.spec,
        "format": facts.format,
        "steps": [_step(s) for s in facts.steps],
        "unbound_steps": [s._asdict() for s in facts.unbound],
        "unused_datasets": list(facts.unused_datasets),
        "workflows": [_workflow(w) for w in facts.workflows],
    }


def render_json(facts: Facts) -> str:
    """The JSON report: :func:`as_data`, indented, one trailing newline."""
    return json.dumps(as_data(facts), indent=2, ensure_ascii=False) + "\n"
