"""One mistake per rule class, each alone and then all in one spec (issue 20 §2): every code a part
of a spec can have on its own (docs/spec.md#error-codes, KF2xx and KF3xx) is reported in one run,
each at its own line:col, and nothing else (no knock-on error, no mistake hiding another).

Each row is a mistake of its own kind, with its own datasets, stores, types and templates
(``{i}`` is the row's number), so the rows cannot meet in one spec.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import KfdataError
from tests.helpers import STORES

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class Row(NamedTuple):
    """A mistake: the code and JSON path it is reported at, the spec's entries that make it
    (each a list of YAML lines under its section), and the templates it needs."""

    code: str
    at: str
    datasets: tuple[str, ...] = ()
    bindings: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    templates: tuple[str, ...] = ("- {{name: t{i}, container: {{image: alpine}}}}",)
    calls: bool = True  # the main DAG calls t{i}
    also: tuple[tuple[str, str], ...] = ()  # other problems of the same part, at its place


ROWS = [
    Row("KF201", "$.datasets.d{i}.bogus", ("d{i}: {{uri: 'https://h/{i}', bogus: 1}}",)),
    Row("KF202", "$.stores.s{i}.s3.credentials.secretKey", stores=(
        "s{i}: {{s3: {{endpoint: 'm:9000', credentials: {{secret: c, accessKey: a, "
        "secretKey: '" + AWS_SECRET + "'}}}}}}",)),
    # A name with '_' is also no dataset name (KF201): the collision never comes alone.
    Row("KF203", "$.datasets.a_{i}",
        ("a-{i}: {{uri: 'https://h/a'}}", "a_{i}: {{uri: 'https://h/b'}}"),
        also=(("KF201", "$.datasets.a_{i}"),)),
    Row("KF204", "$.datasets.d{i}.uri", ("d{i}: {{uri: 'ftp://h/{i}'}}",)),
    Row("KF205", "$.datasets.d{i}", ("d{i}: {{uri: 's3://b/{i}'}}",)),
    Row("KF206", "$.datasets.d{i}.store", ("d{i}: {{uri: 's3://b/{i}', store: gcp}}",)),
    Row("KF207", "$.bindings[{b}].read[0].path", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, path: rel/{i}}}]}}",)),
    Row("KF208", "$.types.ty{i}.args", types=("ty{i}: {{image: 'alpine:3.20', args: [echo, "
                                               "'{{{{bogus}}}}']}}",)),
    Row("KF210", "$.datasets.d{i}.store", ("d{i}: {{uri: 'pach://r{i}@main:/x', store: p{i}}}",),
        ("{{step: t{i}, read: [d{i}]}}",), ("p{i}: {{pachyderm: {{endpoint: pachd}}}}",)),
    Row("KF301", "$.bindings[{b}].read[0]", (), ("{{step: t{i}, read: [nowhere{i}]}}",)),
    Row("KF302", "$.bindings[{b}].step", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: nothing-{i}, read: [d{i}]}}",)),
    Row("KF303", "$.bindings[{b}].step", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: g{i}, read: [d{i}]}}",),
        templates=("- {{name: g{i}, dag: {{tasks: [{{name: x, template: t{i}}}]}}}}",
                   "- {{name: t{i}, container: {{image: alpine}}}}")),
    Row("KF304", "$.bindings[{b}].read[0]", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, path: /data/{i}}}]}}",),
        templates=("- {{name: t{i}, container: {{image: alpine, volumeMounts: [{{name: v, "
                   "mountPath: /data/{i}}}]}}}}",)),
    Row("KF305", "$.spec.templates[{t}].container.env[0]", ("e{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, read: [e{i}]}}",),
        templates=("- {{name: t{i}, container: {{image: alpine, env: [{{name: KFDATA_E{i}_PATH, "
                   "value: x}}]}}}}",)),
    Row("KF306", "$.bindings[{b}].read[0].into", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, into: nope}}]}}",)),
    Row("KF307", "$.spec.templates[{t}]", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, read: [d{i}]}}",),
        templates=("- {{name: t{i}, inputs: {{artifacts: [{{name: kfdata-d{i}, path: /in}}]}}, "
                   "container: {{image: alpine}}}}",)),
    Row("KF308", "$.bindings[{b}].write[0]", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, write: [d{i}]}}",)),
    Row("KF309", "$.bindings[{b}].read[1]", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, read: [d{i}, {{dataset: d{i}, env: OTHER{i}}}]}}",)),
    Row("KF310", "$.bindings[{b}].write[0]", ("d{i}: {{uri: 's3://b/{i}', store: minio}}",),
        ("{{step: t{i}, write: [{{dataset: d{i}, into: x}}]}}",)),
    Row("KF313", "$.datasets.d{i}.uri",
        ("d{i}: {{uri: 'https://h/{{{{inputs.parameters.nope}}}}'}}",),
        ("{{step: t{i}, read: [d{i}]}}",)),
    Row("KF320", "$.bindings[{b}].read[0].datum.glob",
        ("d{i}: {{uri: 's3://b/{i}', store: minio}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, datum: {{glob: '/a b'}}}}]}}",)),
    Row("KF321", "$.bindings[{b}].write[0].datum",
        ("d{i}: {{uri: 's3://b/{i}', store: minio}}",),
        ("{{step: t{i}, write: [{{dataset: d{i}, datum: {{glob: '/*'}}}}]}}",)),
    Row("KF322", "$.bindings[{b}].read[0].datum", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, datum: {{glob: '/*'}}}}]}}",)),
    Row("KF323", "$.bindings[{b}].read[1].datum",
        ("d{i}: {{uri: 's3://b/{i}', store: minio}}", "f{i}: {{uri: 's3://c/{i}', store: minio}}"),
        ("{{step: t{i}, read: [{{dataset: d{i}, datum: {{glob: '/*'}}}}, "
         "{{dataset: f{i}, datum: {{glob: '/*'}}}}]}}",)),
    Row("KF325", "$.spec.templates[{t}]", ("d{i}: {{uri: 's3://b/{i}', store: minio}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, datum: {{glob: '/*'}}}}]}}",), calls=False),
    Row("KF328", "$.bindings[{b}].read[0].datum.incremental",
        ("d{i}: {{uri: 's3://b/{i}', store: minio}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, datum: {{glob: '/*', incremental: true}}}}]}}",)),
    Row("KF331", "$.datasets.d{i}.uri",
        ("d{i}: {{uri: 's3://b/{{{{workflow.name}}}}/{i}', store: minio}}",),
        ("{{step: t{i}, read: [{{dataset: d{i}, datum: {{glob: '/*'}}}}]}}",)),
]


# Two mistakes in one part, each a problem on its own: neither may hide the other (the parts a
# problem leaves out keep their sound fields for checking: spec/remnants.py).
PAIRS = [
    Row("KF204", "$.datasets.d{i}.uri", ("d{i}: {{uri: 'ftp://h/{i}', version: 3}}",),
        also=(("KF201", "$.datasets.d{i}.version"),)),
    Row("KF204", "$.datasets.d{i}.uri", ("d{i}: {{uri: 'ftp://h/{i}', store: s{i}}}",),
        stores=("s{i}: {{s3: {{endpoint: 'm:9000', regoin: x}}}}",),
        also=(("KF201", "$.stores.s{i}.s3.regoin"),)),
    Row("KF302", "$.bindings[{b}].step", ("d{i}: {{uri: 'https://h/{i}'}}",),
        ("{{step: nothing-{i}, read: [d{i}], mode: fast}}",),
        also=(("KF201", "$.bindings[{b}].mode"),)),
    Row("KF302", "$.bindings[{b}].step", (), ("{{step: nothing-{i}, read: [reviewz{i}]}}",),
        also=(("KF301", "$.bindings[{b}].read[0]"),)),
    Row("KF303", "$.bindings[{b}].step", (), ("{{step: g{i}, read: [reviewz{i}]}}",),
        templates=("- {{name: g{i}, dag: {{tasks: [{{name: x, template: t{i}}}]}}}}",
                   "- {{name: t{i}, container: {{image: alpine}}}}"),
        also=(("KF301", "$.bindings[{b}].read[0]"),)),
    Row("KF301", "$.bindings[{b}].read[0]", (), ("{{step: t{i}, read: [nowhere{i}, "
                                                 "{{dataset: d{i}, bogus: 1}}]}}",),
        also=(("KF201", "$.bindings[{b}].read[1].bogus"),
              ("KF301", "$.bindings[{b}].read[1].dataset"))),
]


def _build(rows: list[tuple[int, Row]]) -> tuple[str, str, list[tuple[str, str]]]:
    """The pipeline, the spec, and the (code, path) each row must be reported at."""
    datasets, bindings, stores, types, templates, tasks, expected = [], [], [], [], [], [], []
    bindings.append("{step: fill, read: [fill]}")  # a sound binding beside every mistake
    for i, row in rows:
        fill = {"i": i, "b": len(bindings), "t": 2 + len(templates)}
        expected += [(code, at.format(**fill)) for code, at in ((row.code, row.at), *row.also)]
        datasets += [d.format(i=i) for d in row.datasets]
        bindings += [b.format(i=i) for b in row.bindings]
        stores += [s.format(i=i) for s in row.stores]
        types += [t.format(i=i) for t in row.types]
        templates += [t.format(i=i) for t in row.templates]
        if row.calls:
            tasks.append(f"{{name: c{i}, template: t{i}}}")
    pipeline = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: wf}\n"
        "spec:\n  entrypoint: main\n  templates:\n"
        f"  - {{name: main, dag: {{tasks: [{', '.join(['{name: f, template: fill}', *tasks])}]}}}}"
        "\n"
        "  - {name: fill, container: {image: alpine}}\n"
        + "".join(f"  {t}\n" for t in templates))
    spec = ("apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n" + STORES.lstrip("\n")
            + "".join(f"  {s}\n" for s in stores)
            + ("types:\n" + "".join(f"  {t}\n" for t in types) if types else "")
            + "datasets:\n" + "".join(f"  {d}\n" for d in ["fill: {uri: 'https://h/f'}", *datasets])
            + "bindings:\n" + "".join(f"  - {b}\n" for b in bindings))
    return pipeline, spec, expected


def _reported(pipeline: str, spec: str) -> list[tuple[str, str, str]]:
    with pytest.raises(KfdataError) as caught:
        compile_text(pipeline.encode(), spec.encode(), "p.yaml", "s.yaml")
    return [(d.code, d.location.json_path, f"{d.location.file}:{d.location.line}:"
             f"{d.location.col}") for d in caught.value.diagnostics if d.severity.name == "ERROR"]


@pytest.mark.parametrize("row", ROWS + PAIRS, ids=[r.code for r in ROWS] + [
    "KF204-beside-KF201", "KF204-on-a-store-with-a-problem", "KF302-beside-KF201",
    "KF301-on-an-unmatched-step", "KF301-on-a-DAG-step", "KF301-in-a-binding-with-a-problem"])
def test_each_mistake_alone(row: Row) -> None:
    pipeline, spec, expected = _build([(0, row)])
    assert sorted((code, at) for code, at, _ in _reported(pipeline, spec)) == sorted(expected)


def test_every_mistake_in_one_spec_each_at_its_own_place() -> None:
    """All the rows in one spec: the same problems as each alone, and no two at one place."""
    pipeline, spec, expected = _build(list(enumerate(ROWS + PAIRS)))
    found = _reported(pipeline, spec)
    assert sorted((code, at) for code, at, _ in found) == sorted(expected)
    places = {where for *_, where in found}
    assert len(places) == len({at for _, at in expected})  # each part at a place of its own


def test_the_table_covers_every_code_a_part_can_have_on_its_own() -> None:
    """Every KF2xx/KF3xx error of docs/spec.md but those that need the pipeline itself to be
    wrong in a way that stops its document (KF311, KF312, KF326, KF327, KF329, KF330: the
    format's own tests) or a target release (KF324), the warnings (KF209, KF211, KF212, KF213:
    tests/drivers/test_store_warnings.py), and KF355."""
    import re

    from tests.paths import ROOT

    table = (ROOT / "docs" / "spec.md").read_text()
    documented = set(re.findall(r"^\| (KF[23]\d\d) \|", table, re.M))
    # KF355: a whole spec's, tests/resolve/test_foreign_format.py
    elsewhere = {"KF209", "KF211", "KF212", "KF213", "KF311", "KF312", "KF324", "KF326",
                 "KF327", "KF329", "KF330", "KF355"}
    assert documented - elsewhere <= {r.code for r in ROWS}
