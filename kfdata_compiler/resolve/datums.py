"""What a per-datum read asks of its dataset, whatever the format (docs/datums.md).

    read: [{dataset: vocab, datum: {glob: "/*"}}]          (vocab: https://...)
    ->  KF322 "dataset 'vocab' (http) cannot be read per datum: only object stores are listed"
    read: [{dataset: images, datum: {glob: "/*", incremental: true}}]   (no version)
    ->  KF328 "'incremental' needs datums whose content cannot change under their name ..."

One step fans out over one dataset (KF323); a literal URI (KF331); an incremental read needs
a version or ``immutableDatums`` (KF328), and everything else its step reads or writes must be
pinned too (KF329). What the pipeline must allow is the format's (Argo: ``datums/checks.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kfdata_compiler.drivers.base import Driver
from kfdata_compiler.plan import Access
from kfdata_compiler.resolve.collector import Collector

LISTED = ("s3", "gcs", "pachyderm", "lakefs")  # kinds Argo lists (the last two: S3 gateways)
FORMATS = ("argo",)  # the formats that compile a per-datum read (a list, a loop, memoize)
_NO_ETAGS = ("Argo's listing has object names only, no ETags: an object changed under an old "
             "name would be skipped silently. ")


def _tagged(uri: str) -> bool:
    return "{{" in uri or "}}" in uri


def _each(read: Access, usable: Mapping[str, Driver], out: Collector, fmt: str) -> None:
    datum = read.use.datum
    assert datum is not None
    name, at = read.dataset.name, (*read.use.where, "datum")
    driver = usable.get(name)
    kind = driver.kind if driver is not None else "?"
    if fmt not in FORMATS:
        out.in_spec("KF322", f"dataset {name!r} cannot be read per datum in a {fmt} pipeline: "
                    "per-datum reads compile to Argo workflows only", at,
                    "read the dataset whole (drop 'datum'), or bind the Argo workflow")
    elif kind not in LISTED:
        out.in_spec("KF322", f"dataset {name!r} ({kind}) cannot be read per datum: only object "
                    "stores are listed", at, "datum is for s3://, gs://, pach:// and lakefs:// "
                    "datasets (Pachyderm and lakeFS through their S3 gateways)")
    if _tagged(read.dataset.uri) and (datum.fans_out or datum.incremental):
        out.in_spec("KF331", f"dataset {name!r} is read per datum, but its URI has a {{{{...}}}} "
                    "tag: the list step and the cache key would meet it unresolved",
                    ("datasets", name, "uri"), "read a dataset whose URI is literal (one per "
                    "prefix), or read it whole (no datum)")
    if datum.incremental and read.version is None and not read.dataset.immutable_datums:
        out.in_spec("KF328", "'incremental' needs datums whose content cannot change under "
                    f"their name, but dataset {name!r} has no version and is not declared "
                    "immutableDatums", (*at, "incremental"), _NO_ETAGS + "Give it a version "
                    "(version:, a kfdata.lock pin, a Pachyderm or lakeFS commit in its URI), or "
                    "set immutableDatums: true on an append-only dataset")


def _incremental(label: str, read: Access, others: Sequence[Access], out: Collector) -> None:
    for other in others:
        name = other.dataset.name
        if other.mode == "read" and other is not read and other.version is None:
            out.in_spec("KF329", f"{label} is incremental over dataset "
                        f"{read.dataset.name!r}, but also reads dataset {name!r}, which has no "
                        "version: its cache key cannot know when that changes", other.use.where,
                        "give it a version (or pin it with kfdata-compile lock), or drop "
                        "'incremental'")
        elif other.mode == "write" and _tagged(other.dataset.uri):
            out.in_spec("KF329", f"{label} is incremental, but it writes dataset {name!r}, "
                        "whose URI has a {{...}} tag: a datum skipped on a re-run would not be "
                        "written there", ("datasets", name, "uri"),
                        "write to a literal URI (each datum's output lands under "
                        "<uri>/<datum>), or drop 'incremental'")


def check_datums(bound: Iterable[tuple[str, Sequence[Access]]], usable: Mapping[str, Driver],
                 out: Collector, fmt: str = "argo") -> None:
    """Every per-datum problem of the bound steps (label, accesses) in a pipeline of format
    ``fmt``, reported to ``out``."""
    for label, accesses in bound:
        reads = [a for a in accesses if a.mode == "read" and a.use.datum is not None]
        for read in reads:
            _each(read, usable, out, fmt)
        for extra in reads[1:]:
            first = reads[0].dataset.name
            out.in_spec("KF323", f"{label} would fan out over two datasets' datums: "
                        f"{first!r} and {extra.dataset.name!r}", (*extra.use.where, "datum"),
                        "a step runs once per datum of one dataset: keep one 'datum', read the "
                        "other dataset whole")
        incremental = [r for r in reads if r.use.datum is not None and r.use.datum.incremental]
        if incremental:
            _incremental(label, incremental[0], accesses, out)
