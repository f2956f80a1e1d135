"""Small builders for unit tests: a workflow around some templates, a spec, a plan."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from kfdata_compiler.formats import claim
from kfdata_compiler.formats.argo import ARGO
from kfdata_compiler.load import load_source
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.journal import Edits
from kfdata_compiler.resolve import resolve
from kfdata_compiler.rewrite.apply import place
from kfdata_compiler.spec import parse_spec

STORES = """
stores:
  minio:
    s3: {endpoint: minio:9000, insecure: true,
         credentials: {secret: minio-creds, accessKey: accesskey, secretKey: secretkey}}
  gcp:
    gcs: {credentials: {secret: gcp-sa, serviceAccountKey: key.json}}
"""


def workflow(templates: str, extra_spec: str = "") -> str:
    """A Workflow whose spec.templates is the given YAML list (dedented)."""
    body = textwrap.indent(textwrap.dedent(templates).strip(), "  ")
    extra = textwrap.indent(textwrap.dedent(extra_spec).strip(), "  ")
    return (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: wf\nspec:\n"
        + (extra + "\n" if extra else "")
        + "  templates:\n" + body + "\n"
    )


def spec(datasets: str, bindings: str, stores: str = STORES) -> str:
    """A DataBindings spec with the default stores."""
    return (
        "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n" + textwrap.dedent(stores)
        + "datasets:\n" + textwrap.indent(textwrap.dedent(datasets).strip(), "  ") + "\n"
        + "bindings:\n" + textwrap.indent(textwrap.dedent(bindings).strip(), "  ") + "\n"
    )


def plan(pipeline: str, spec_text: str) -> tuple[list[Any], Plan]:
    """Load and resolve, as the compiler does, returning the documents and the plan."""
    source = load_source("pipeline.yaml", pipeline.encode())
    bindings = parse_spec(load_source("spec.yaml", spec_text.encode()))
    return source.docs, resolve(source, bindings, claim(source))


def run_pass(rewrite: Any, pipeline: str, spec_text: str) -> tuple[list[Any], Edits]:
    """Run one pass on a freshly resolved plan: its actions, applied (the journal not stored)."""
    docs, the_plan = plan(pipeline, spec_text)
    edits, _ = place(docs, tuple(rewrite(docs, the_plan)), ARGO)
    return docs, edits


def template(docs: list[Any], name: str, doc: int = 0) -> dict[str, Any]:
    """The template called ``name``."""
    return next(t for t in docs[doc]["spec"]["templates"] if t["name"] == name)


def parse(text: str) -> Any:
    """Plain YAML (for expected values in tables)."""
    return yaml.safe_load(textwrap.dedent(text))
