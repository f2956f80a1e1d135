"""Dataset types and the stores behind them: init containers, Pachyderm, lakeFS, artifact repos."""

from __future__ import annotations

from typing import Any

import pytest

from kfdata_compiler.drivers import lakefs, pachyderm, registry, repository
from kfdata_compiler.drivers.base import Request
from kfdata_compiler.drivers.initcontainer import InitContainerDriver, store_values
from kfdata_compiler.drivers.need import Need
from kfdata_compiler.drivers.uriparts import uri_values
from kfdata_compiler.errors import ResolveError
from kfdata_compiler.spec import Dataset, Store, builtin_types
from kfdata_compiler.spec.datatypes import DatasetType
from tests.helpers import plan, spec, workflow

STEP = workflow("""
- name: step
  inputs: {artifacts: [{name: tokens, path: /tmp/tokens}]}
  container: {image: python}
""")
STORES = """
stores:
  pach: {pachyderm: {endpoint: pachd.pach, credentials: {secret: pach-auth, token: auth-token}}}
  lake: {lakefs: {endpoint: "lakefs:8000", credentials: {secret: lk, accessKey: ak, secretKey: sk}}}
  repo: {artifactRepository: {configMap: artifact-repositories, key: minio}}
  home: {artifactRepository: {default: true}}
"""
TOKEN = {"name": "pach-auth", "key": "auth-token"}
NONE = {"none": {}}
COMMIT = "0123456789abcdef0123456789abcdef"
LAKE_COMMIT = "ab" * 32


def access(dataset: str, use: str, stores: str = STORES) -> Any:
    _, the_plan = plan(STEP, spec(dataset, f"- {{step: step, {use}}}", stores))
    (target,) = the_plan.targets
    (found,) = target.accesses
    return found


def refusal(dataset: str, use: str, stores: str = STORES) -> list[tuple[str, str]]:
    with pytest.raises(ResolveError) as caught:
        plan(STEP, spec(dataset, f"- {{step: step, {use}}}", stores))
    return [(d.code, d.message) for d in caught.value.diagnostics]


FRAGMENTS = [
    pytest.param(
        f"d: {{uri: 'pach://images@master={COMMIT}:/train/', store: pach}}", "read: [d]",
        Need(input_artifacts=({"name": "kfdata-d", "path": "/kfdata/d", "s3": {
            "endpoint": "pachd.pach:30600", "bucket": f"{COMMIT}.master.images.default",
            "key": "train", "accessKeySecret": TOKEN, "secretKeySecret": TOKEN},
            "archive": NONE},)),
        COMMIT, id="pachyderm-commit-read"),
    pytest.param(
        "d: {uri: 'pach://vision/images@dev:/out', store: pach}", "write: [d]",
        Need(output_artifacts=({"name": "kfdata-d", "path": "/kfdata/d", "s3": {
            "endpoint": "pachd.pach:30600", "bucket": "dev.images.vision", "key": "out",
            "accessKeySecret": TOKEN, "secretKeySecret": TOKEN}, "archive": NONE},),
                 volumes=({"name": "kfdata-d", "emptyDir": {}},),
                 mounts=({"name": "kfdata-d", "mountPath": "/kfdata/d"},)),
        None, id="pachyderm-branch-write"),
    pytest.param(
        f"d: {{uri: 'lakefs://reviews/{LAKE_COMMIT}/2024/', store: lake}}", "read: [d]",
        Need(input_artifacts=({"name": "kfdata-d", "path": "/kfdata/d", "s3": {
            "endpoint": "lakefs:8000", "bucket": "reviews", "key": f"{LAKE_COMMIT}/2024",
            "accessKeySecret": {"name": "lk", "key": "ak"},
            "secretKeySecret": {"name": "lk", "key": "sk"}}, "archive": NONE},)),
        LAKE_COMMIT, id="lakefs-commit-read"),
    pytest.param(
        "d: {uri: 'artifact://data/x.csv', store: repo}", "read: [d]",
        Need(input_artifacts=({"name": "kfdata-d", "path": "/kfdata/d",
                                   "s3": {"key": "data/x.csv"}, "archive": NONE},),
                 artifact_repository={"configMap": "artifact-repositories", "key": "minio"}),
        None, id="artifact-repository-key-only"),
    pytest.param(
        "d: {uri: 'artifact://data/', store: home}", "read: [{dataset: d, into: tokens}]",
        Need(location={"s3": {"key": "data"}, "archive": NONE}, artifact_repository={}),
        None, id="default-repository-into"),
]


@pytest.mark.parametrize(("dataset", "use", "expected", "version"), FRAGMENTS)
def test_fragment_and_version(dataset: str, use: str, expected: Need,
                              version: str | None) -> None:
    found = access(dataset, use)
    assert found.need == expected._replace(env=found.need.env)
    assert found.version == version


def test_dvc_builtin_builds_an_init_container_and_a_read_only_sub_path_mount() -> None:
    found = access("d: {uri: 'dvc://github.com/org/reg/features/v3', revision: 4f2a9c1}",
                   "read: [{dataset: d, path: /data/features}]")
    assert found.version == "4f2a9c1"
    assert found.need.volumes == ({"name": "kfdata-d", "emptyDir": {}},)
    assert found.need.mounts == ({"name": "kfdata-d", "mountPath": "/data/features",
                                      "subPath": "data", "readOnly": True},)
    assert found.need.init_containers == ({
        "name": "kfdata-d", "image": "iterativeai/cml:0-dvc3-base1",
        "command": ["dvc", "get", "https://github.com/org/reg", "features/v3", "--rev",
                    "4f2a9c1", "-o", "/kfdata-stage/data"],
        "volumeMounts": [{"name": "kfdata-d", "mountPath": "/kfdata-stage"}]},)


def test_pachctl_reads_the_store_and_pins_the_commit() -> None:
    found = access(f"d: {{uri: 'pach://p/r@b={COMMIT}:/x', store: pach, type: pachctl}}",
                   "read: [d]")
    (init,) = found.need.init_containers
    assert init["command"][4] == f"r@b={COMMIT}:/x" and init["command"][6] == "p"
    assert init["env"] == [{"name": "PACHD_ADDRESS", "value": "pachd.pach:30650"}]
    assert found.version == COMMIT


@pytest.mark.parametrize(
    ("dataset", "use", "code", "words"),
    [
        pytest.param("d: {uri: 'dvc://github.com/o/r/x', revision: main}", "write: [d]", "KF308",
                     "cannot be used for write", id="dvc-write"),
        pytest.param(f"d: {{uri: 'pach://r@b={COMMIT}:/x', store: pach}}", "write: [d]", "KF308",
                     "not a branch", id="pachyderm-commit-write"),
        pytest.param(f"d: {{uri: 'lakefs://rep/{LAKE_COMMIT}/x', store: lake}}", "write: [d]",
                     "KF308", "not a branch", id="lakefs-commit-write"),
        pytest.param("d: {uri: 'lakefs://rep/main^1/x', store: lake}", "write: [d]", "KF308",
                     "'main^1', which is not a branch", id="lakefs-expression-write"),
        pytest.param("d: {uri: 'pach://r@b:/x', store: anon}", "read: [d]", "KF210",
                     "no credentials", id="pachyderm-gateway-without-credentials"),
        pytest.param("d: {uri: 'artifact://k', store: pach}", "read: [d]", "KF206",
                     "needs a 'artifactRepository' store", id="artifact-on-another-store"),
        pytest.param("d: {uri: 'https://h/x', type: dvcc}", "read: [d]", "KF204",
                     "unknown type 'dvcc'", id="unknown-type"),
        pytest.param("d: {uri: 'https://h/x', revision: main}", "read: [d]", "KF204",
                     "'revision' is not used by http datasets", id="revision-on-http"),
    ],
)
def test_refusals(dataset: str, use: str, code: str, words: str) -> None:
    stores = STORES + "  anon: {pachyderm: {endpoint: pachd.pach}}\n"
    found = refusal(dataset, use, stores)
    assert [c for c, _ in found] == [code] and words in found[0][1], found


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        pytest.param("initContainers: [{name: kfdata-d, image: busybox}]",
                     "already has a container named 'kfdata-d'", id="init-container"),
        pytest.param("sidecars: [{name: kfdata-d, image: busybox}]",
                     "already has a container named 'kfdata-d'", id="sidecar"),
        pytest.param("volumes: [{name: kfdata-d, emptyDir: {}}]",
                     "volume name 'kfdata-d' is already used", id="volume"),
    ],
)
def test_an_init_container_type_never_takes_an_existing_name(existing: str, message: str) -> None:
    pipeline = workflow(f"- {{name: step, container: {{image: python}}, {existing}}}")
    with pytest.raises(ResolveError) as caught:
        plan(pipeline, spec("d: {uri: 'dvc://github.com/o/r/x', revision: main}",
                            "- {step: step, read: [d]}", STORES))
    assert [(d.code, message in d.message) for d in caught.value.diagnostics] == [("KF307", True)]


def test_a_dataset_problem_met_by_several_uses_is_reported_once() -> None:
    pipeline = workflow("""
- {name: a, container: {image: python}}
- {name: b, container: {image: python}}
""")
    stores = STORES + "  anon: {pachyderm: {endpoint: pachd.pach}}\n"
    with pytest.raises(ResolveError) as caught:
        plan(pipeline, spec("d: {uri: 'pach://r@b:/x', store: anon}",
                            "- {step: a, read: [d]}\n- {step: b, read: [d]}", stores))
    assert [d.code for d in caught.value.diagnostics] == ["KF210"]


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("dvc://github.com/org/reg/features/v3",
         {"uri.host": "github.com", "uri.repo": "https://github.com/org/reg",
          "uri.path": "features/v3"}),
        ("dvc://gitlab.com/g/sub/repo.git/data/x.csv",
         {"uri.host": "gitlab.com", "uri.repo": "https://gitlab.com/g/sub/repo.git",
          "uri.path": "data/x.csv"}),
        ("dvc://git.example:8443/a/b/c//d/", {"uri.host": "git.example:8443",
                                              "uri.repo": "https://git.example:8443/a/b/c",
                                              "uri.path": "d"}),
        ("dvc://github.com/org", {"uri.host": "github.com"}),
        ("pach://images@master:/a", {"uri.project": "default", "uri.repo": "images",
                                     "uri.branch": "master", "uri.ref": "master",
                                     "uri.path": "/a"}),
        (f"pach://p/r@b={COMMIT}:/", {"uri.project": "p", "uri.repo": "r", "uri.branch": "b",
                                      "uri.ref": f"b={COMMIT}", "uri.commit": COMMIT,
                                      "uri.path": "/"}),
        ("https://user@h.example:8080/a/b.csv?x=1", {"uri.host": "h.example:8080",
                                                     "uri.path": "a/b.csv"}),
        ("hf://org/name", {"uri.host": "org", "uri.path": "name"}),
        ("https://[::1", {}),
        ("pach://not-a-ref", {}),
        ("https://h.example/", {"uri.host": "h.example"}),
    ],
)
def test_uri_values(uri: str, expected: dict[str, str]) -> None:
    values = uri_values(uri)
    assert values.pop("uri") == uri
    values.pop("uri.scheme", None)
    assert values == expected


@pytest.mark.parametrize(
    ("uri", "bucket"),
    [
        ("pach://r@b:/x", "b.r.default"),
        ("pach://proj/r_1@feature-2:/x/y/", "feature-2.r_1.proj"),
        (f"pach://r@b={COMMIT}:/x", f"{COMMIT}.b.r.default"),
    ],
)
def test_pachyderm_buckets(uri: str, bucket: str) -> None:
    ref = pachyderm.parse(uri)
    assert ref is not None and ref.bucket == bucket


@pytest.mark.parametrize("uri", ["pach://r:/x", "pach://r@b", "pach://-r@b:/x", "pach://r@b=abc:/x",
                                 "pach://a/b/c@d:/x", "pach://r@b:x"])
def test_pachyderm_uris_that_are_not(uri: str) -> None:
    assert pachyderm.parse(uri) is None


def test_store_addresses_and_defaults() -> None:
    plain = Store("p", "pachyderm", {"endpoint": "pachd.ns"})
    ported = Store("p", "pachyderm", {"endpoint": "proxy.ns:80", "pachd": "pachd.ns:31650"})
    assert store_values(plain) == {"store.endpoint": "pachd.ns:30600", "store.pachd": "pachd.ns:30650"}
    assert store_values(ported) == {"store.endpoint": "proxy.ns:80", "store.pachd": "pachd.ns:31650"}
    assert store_values(Store("m", "s3", {"endpoint": "minio:9000"})) == {"store.endpoint": "minio:9000"}
    assert store_values(Store("g", "gcs", {})) == {} and store_values(None) == {}


def test_lakefs_refs() -> None:
    assert lakefs.split("lakefs://repo/main/a/b") == ("repo", "main", "a/b")
    assert lakefs.split("lakefs://re/main/a") is None  # repository names are 3+ characters
    assert lakefs.split("lakefs://repo/main") is None


def test_repository_reference() -> None:
    assert repository.reference(Store("r", "artifactRepository", {"key": "k"})) == {"key": "k"}
    assert repository.reference(Store("r", "artifactRepository", {"default": True})) == {}


def test_registry_prefers_type_then_scheme_then_a_type_named_like_the_scheme() -> None:
    types = {**builtin_types(), "hf": DatasetType("hf", "img:1", ("get", "{uri}", "{path}"))}
    drivers = registry(types)
    assert drivers.kind_of(Dataset("d", "pach://r@b:/x")) == "pachyderm"
    assert drivers.kind_of(Dataset("d", "pach://r@b:/x", type="pachctl")) == "pachctl"
    assert drivers.kind_of(Dataset("d", "hf://org/x")) == "hf"
    assert drivers.kind_of(Dataset("d", "dvc://h/o/r/x")) == "dvc"
    assert drivers.kind_of(Dataset("d", "gcs://b/k")) is None  # a driver's kind is not a scheme
    assert isinstance(drivers.driver_for(Dataset("d", "hf://org/x")), InitContainerDriver)


def test_init_container_versions() -> None:
    dvc = InitContainerDriver(builtin_types()["dvc"])
    no_rev = InitContainerDriver(DatasetType("t", "i:1", ("get", "{uri}", "{path}")))
    assert dvc.version(Dataset("d", "dvc://h/o/r/x", revision="0abc123")) == "0abc123"
    assert dvc.version(Dataset("d", "dvc://h/o/r/x", revision="v1.0")) is None
    assert dvc.version(Dataset("d", "dvc://h/o/r/x", version="l", revision="0abc123")) == "l"
    assert no_rev.version(Dataset("d", f"pach://r@b={COMMIT}:/x")) == COMMIT


def test_values_are_escaped_for_the_kubelet_and_never_rescanned() -> None:
    driver = InitContainerDriver(DatasetType(
        "t", "i:1", ("get", "{uri}", "--to={path}"), env=(("WHERE", "{dataset}@{uri}"),)))
    dataset = Dataset("d", "https://h/$(HOME)/{path}")
    (init,) = driver.build(Request(dataset, None, "read", "/kfdata/d", "kfdata-d")).init_containers
    assert init["command"] == ["get", "https://h/$$(HOME)/{path}", "--to=/kfdata-stage/data"]
    assert init["env"] == [{"name": "WHERE", "value": "d@https://h/$$(HOME)/{path}"}]
