"""Every object-store key the compile emits, run through Argo's drivers (tests/storetwin.py).

For each Argo case under fixtures/, the compiled output's locations (whole-dataset reads,
``into`` arguments, per-datum arguments, list templates, writes) are fetched from a bucket
holding the dataset's objects, a folder marker at the prefix and in a subdirectory (what the
S3 and GCS consoles' "Create folder" makes), and sibling prefixes (``<p>2/``, ``<p>-old.txt``),
on each Argo release the twin models. The step must get the directory's objects and nothing
else; a list must give the datums of the directory's own objects.

GCS reads of a prefix are the exception no key can avoid (Argo's ``Load`` cleans the key and
lists by raw prefix): their buckets hold no sibling, and a separate test shows the sibling is
read, which is why KF340 warns when the spec names one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.drivers import pachyderm
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.formats.argo.datums import transform
from kfdata_compiler.load import load_source
from kfdata_compiler.spec import parse_spec
from kfdata_compiler.spec.datum import Datum
from tests import storetwin as twin
from tests.paths import FIXTURES, ROOT, cases

TAG = re.compile(r"\{\{[^}]*\}\}")
DIRECTORY = {"a.txt": b"a", "sub/b.txt": b"b"}
# A layout every glob of the datum fixtures matches: /*, /*/*, /**, /dt=*.
DATUM_LAYOUT = {"d1/e1/f.txt": b"1", "d1/e2/f.txt": b"2", "d2/e1/g.txt": b"3",
                "dt=2026-01-01/x.parquet": b"4", "top.txt": b"5"}


class Location(NamedTuple):
    """One emitted location: its driver, its key, and how the step uses it."""

    case: str
    role: str  # read, write, list, item
    kind: str  # s3, gcs, pachyderm (the S3 gateway's GetObject differs)
    key: str
    doc: int
    transformations: tuple[str, ...] = ()
    glob: str = ""


def _pachyderm_endpoints(case: str) -> set[str]:
    text = (FIXTURES / case / "pipeline.kfdata.yaml").read_bytes()
    spec = parse_spec(load_source("spec.yaml", text))
    return {pachyderm.endpoint(s) for s in spec.stores.values() if s.kind == "pachyderm"}


def _walk(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*path, i))


def locations(case: str) -> list[Location]:
    """Every full S3/GCS location the compiled case holds (no fixture input has one)."""
    pipeline = FIXTURES / case / "pipeline.yaml"
    spec = FIXTURES / case / "pipeline.kfdata.yaml"
    lock = spec.with_suffix(".lock")
    try:
        output = compile_text(pipeline.read_bytes(), spec.read_bytes(),
                              str(pipeline.relative_to(ROOT)), str(spec.relative_to(ROOT)),
                              lock.read_bytes() if lock.is_file() else None,
                              str(lock.relative_to(ROOT))).output
    except KfdataError:
        return []  # an err-* case
    docs = list(yaml.safe_load_all(output))
    if any("pipelineInfo" in d for d in docs if isinstance(d, dict)):
        return []  # KFP v2 IR: the launcher reads, not Argo's drivers
    pach = _pachyderm_endpoints(case)
    found = []
    for index, doc in enumerate(docs):
        for path, node in _walk(doc, ()):
            for kind in ("s3", "gcs"):
                where = node.get(kind)
                if not (isinstance(where, dict) and "bucket" in where and "key" in where):
                    continue
                key = str(where["key"])
                driver = "pachyderm" if kind == "s3" and where.get("endpoint") in pach else kind
                if "artifactPaths" in path:
                    template = doc
                    for part in path[:path.index("data")]:
                        template = template[part]
                    mark = json.loads(template["metadata"]["annotations"]["kfdata.dev/datum"])
                    steps = tuple(t["expression"] for t in template["data"]["transformation"])
                    found.append(Location(case, "list", driver, key, index, steps, mark["glob"]))
                elif "{{item}}" in key:
                    found.append(Location(case, "item", driver, key, index))
                elif "outputs" in path:
                    found.append(Location(case, "write", driver, key, index))
                else:
                    found.append(Location(case, "read", driver, key, index))
    return found


ALL = [loc for case in cases() for loc in locations(case)]


def _id(loc: Location) -> str:
    return f"{loc.case}-{loc.role}-{loc.kind}-{loc.key}"


def _concrete(key: str) -> str:
    """A key as Argo would see it after substitution (``{{workflow.uid}}`` -> ``t``)."""
    return TAG.sub("t", key)


def _bucket(prefix: str, objects: dict[str, bytes], kind: str, siblings: bool) -> twin.Bucket:
    """``prefix``'s objects, folder markers (not on Pachyderm: it has none) and siblings."""
    bucket = {f"{prefix}/{name}": data for name, data in objects.items()}
    if kind != "pachyderm":
        bucket[f"{prefix}/"] = b""
        for name in objects:
            if "/" in name:
                bucket[f"{prefix}/{name.rpartition('/')[0]}/"] = b""
    if siblings:
        bucket[f"{prefix}2/{next(iter(objects))}"] = b"sibling"
        bucket[f"{prefix}-old.txt"] = b"sibling"
    return bucket


def _load(kind: str, bucket: twin.Bucket, key: str, release: twin.Release) -> twin.Files:
    if kind == "gcs":
        return twin.gcs_load(bucket, key, release)
    return twin.s3_load(twin.S3(bucket, pachyderm=kind == "pachyderm"), key, release)


def _list(kind: str, bucket: twin.Bucket, key: str, release: twin.Release) -> list[str]:
    if kind == "gcs":
        return twin.gcs_list(bucket, key, release)
    return twin.s3_list(twin.S3(bucket, pachyderm=kind == "pachyderm"), key, release)


def test_every_object_store_case_is_covered() -> None:
    """The cases the issue names are among those run (a walk finding nothing would pass)."""
    seen = {(loc.case, loc.role) for loc in ALL}
    for needed in [("kfp-v1-sentiment", "read"), ("lakefs-kfp-v1", "read"),
                   ("pachyderm-kfp-v1", "read"), ("lakefs-kfp-v1", "write"),
                   ("datum-cron", "list"), ("datum-steps-gcs", "list"),
                   ("datum-kfp-v1", "list"), ("datum-kfp-v1", "item")]:
        assert needed in seen
    assert {loc.kind for loc in ALL} == {"s3", "gcs", "pachyderm"}


@pytest.mark.parametrize("release", twin.RELEASES, ids=str)
@pytest.mark.parametrize("loc", [x for x in ALL if x.role == "read"], ids=_id)
def test_a_whole_read_gets_the_directory_and_nothing_else(loc: Location,
                                                          release: twin.Release) -> None:
    key = _concrete(loc.key)
    prefix = key.rstrip("/")
    bucket = _bucket(prefix, DIRECTORY, loc.kind, siblings=loc.kind != "gcs")
    assert _load(loc.kind, bucket, key, release) == DIRECTORY


@pytest.mark.parametrize("release", twin.RELEASES, ids=str)
@pytest.mark.parametrize("loc", [x for x in ALL if x.role == "read" and not x.key.endswith("/")],
                         ids=_id)
def test_a_whole_read_of_a_file_gets_the_file(loc: Location, release: twin.Release) -> None:
    """A key without a final '/' may name one object: the step gets that file."""
    key = _concrete(loc.key)
    bucket = {key: b"file", f"{key}/ignored": b"x"} if loc.kind != "gcs" else {key: b"file"}
    assert _load(loc.kind, bucket, key, release) == {".": b"file"}


@pytest.mark.parametrize("release", twin.RELEASES, ids=str)
@pytest.mark.parametrize("loc", [x for x in ALL if x.role == "list"], ids=_id)
def test_a_list_gives_the_directorys_datums_and_each_fetches_its_own(
        loc: Location, release: twin.Release) -> None:
    doc_items = [x for x in ALL if x.role == "item" and x.case == loc.case and x.doc == loc.doc
                 and _concrete(x.key).startswith(loc.key.rstrip("/") + "/")]
    assert doc_items, "a list template without a caller fetching its datums"
    prefix = loc.key.rstrip("/")
    steps = transform.steps(Datum(loc.glob).segments, loc.key, loc.kind == "gcs")
    assert tuple(s.expression for s in steps) == loc.transformations  # the twin is the output
    bucket = _bucket(prefix, DATUM_LAYOUT, loc.kind, siblings=True)
    datums = transform.run(steps, _list(loc.kind, bucket, loc.key, release))
    own = transform.run(steps, sorted(f"{prefix}/{name}" for name in DATUM_LAYOUT))
    assert datums == own and datums
    for item in doc_items:
        for datum in datums:
            key = item.key.replace("{{item}}", datum)
            fetched = _load(item.kind, bucket, key, release)
            root = f"{prefix}/{datum}".rstrip("/")
            expected = ({".": bucket[root]} if root in bucket else
                        {k[len(root) + 1:]: v for k, v in bucket.items()
                         if k.startswith(root + "/") and not k.endswith("/")})
            assert fetched == expected, (datum, key)


@pytest.mark.parametrize("release", twin.RELEASES, ids=str)
@pytest.mark.parametrize("loc", [x for x in ALL if x.role == "write"], ids=_id)
def test_a_write_lands_under_the_key_exactly(loc: Location, release: twin.Release) -> None:
    key = _concrete(loc.key)
    bucket: twin.Bucket = {}
    if loc.kind == "gcs":
        twin.gcs_save(bucket, key, DIRECTORY, release)
    else:
        twin.s3_save(twin.S3(bucket), key, DIRECTORY, release)
    prefix = key.rstrip("/")
    assert bucket == {f"{prefix}/{name}": data for name, data in DIRECTORY.items()}


# --- what the twin says about the old keys and about GCS, on its own -------------------------


@pytest.mark.parametrize("release", twin.RELEASES, ids=str)
def test_a_key_ending_in_slash_reads_the_folder_marker_on_s3(release: twin.Release) -> None:
    """Why keys lose their '/': loadS3Artifact's GetFile fetches the marker, silently."""
    bucket = _bucket("main/en", DIRECTORY, "s3", siblings=True)
    assert _load("s3", bucket, "main/en/", release) == {".": b""}
    assert _load("s3", bucket, "main/en", release) == DIRECTORY


@pytest.mark.parametrize("release", twin.RELEASES, ids=str)
def test_a_gcs_list_of_a_prefix_ending_in_slash_is_only_the_marker_from_3_7(
        release: twin.Release) -> None:
    bucket = _bucket("web", DATUM_LAYOUT, "gcs", siblings=True)
    listed = twin.gcs_list(bucket, "web/", release)
    assert (listed == ["web/"]) == (release >= (3, 7, 0))
    assert "web/top.txt" in twin.gcs_list(bucket, "web", release)


@pytest.mark.parametrize("release", twin.RELEASES, ids=str)
def test_a_gcs_read_of_a_prefix_reads_its_siblings_whatever_the_key(
        release: twin.Release) -> None:
    """No key avoids it (Load cleans 'en/' to 'en'): KF340 warns where the spec shows one."""
    bucket = _bucket("en", DIRECTORY, "gcs", siblings=True)
    for key in ("en/", "en"):
        fetched = twin.gcs_load(bucket, key, release)
        assert fetched == {**DIRECTORY, "2/a.txt": b"sibling", "-old.txt": b"sibling"}
