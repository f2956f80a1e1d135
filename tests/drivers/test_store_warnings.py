"""Stores Argo accepts but a stock executor cannot reach: warnings, the use still built.

KF212: an S3-client store (s3, lakeFS, Pachyderm's gateway) on port 80 without ``insecure``.
Argo sets minio-go's ``Secure`` to ``art.S3.Insecure == nil || !*art.S3.Insecure``
(``workflow/artifacts/artifacts.go``, v3.5.14 and v4.0.10), so the executor speaks TLS to a
plain-HTTP port. KF213: ``git+ssh`` to a host argoexec's ``/etc/ssh/ssh_known_hosts`` lacks
(``hack/ssh_known_hosts``, copied by the Dockerfile; go-git's default host key callback in
``workflow/artifacts/git/git.go`` reads it unless ``insecureIgnoreHostKey``).
"""

from __future__ import annotations

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import Diagnostic, Severity
from tests.helpers import plan, spec, workflow
from tests.paths import ROOT

STEP = workflow("""
- name: step
  container: {image: python}
""")


def warnings(stores: str, dataset: str) -> tuple[Diagnostic, ...]:
    """The warnings of a compile that reads ``d`` on ``step`` (it must not be refused)."""
    _, the_plan = plan(STEP, spec(dataset, "- {step: step, read: [d]}", "stores:\n" + stores))
    (target,) = the_plan.targets
    assert [a.dataset.name for a in target.accesses] == ["d"]  # still built
    return the_plan.spec.warnings


MINIO = "{secret: m, accessKey: a, secretKey: s}"
PACH = "{secret: p, token: t}"
S3_CASES = [
    ("s3: {endpoint: 'minio.ns:80', credentials: " + MINIO + "}", "s3://b/k", True),
    ("s3: {endpoint: 'minio.ns:80', insecure: true}", "s3://b/k", False),
    ("s3: {endpoint: 'minio.ns:80', insecure: false}", "s3://b/k", False),  # TLS on :80, chosen
    ("s3: {endpoint: 'minio.ns:9000'}", "s3://b/k", False),
    ("s3: {endpoint: 'minio.ns:8080'}", "s3://b/k", False),
    ("s3: {endpoint: s3.amazonaws.com}", "s3://b/k", False),  # no port: TLS on 443
    ("s3: {endpoint: '10.0.0.1:80'}", "s3://b/k", True),
    ("lakefs: {endpoint: 'lakefs.ns:80', credentials: " + MINIO + "}",
     "lakefs://repo/main/x/", True),
    ("lakefs: {endpoint: 'lakefs.ns:80', insecure: true, credentials: " + MINIO + "}",
     "lakefs://repo/main/x/", False),
    ("pachyderm: {endpoint: 'pachd-proxy.pachyderm:80', credentials: " + PACH + "}",
     "pach://repo@master:/x/", True),
    ("pachyderm: {endpoint: pachd.pachyderm, credentials: " + PACH + "}",  # :30600
     "pach://repo@master:/x/", False),
]


@pytest.mark.parametrize(("store", "uri", "warned"), S3_CASES)
def test_an_s3_client_store_on_port_80_without_insecure_warns(
        store: str, uri: str, warned: bool) -> None:
    found = [d for d in warnings(f"  st:\n    {store}\n", f"d: {{uri: '{uri}', store: st}}")
             if d.code == "KF212"]
    assert bool(found) == warned, found
    for d in found:
        assert d.severity is Severity.WARNING
        assert "insecure: true" in d.hint
        assert d.location.line == 5  # the store kind's line (after apiVersion, kind, stores, st)


def test_kf212_is_reported_once_per_store() -> None:
    stores = "  st:\n    s3: {endpoint: 'minio.ns:80'}\n"
    datasets = "d: {uri: 's3://b/k', store: st}\ne: {uri: 's3://b/l', store: st}"
    _, the_plan = plan(STEP, spec(datasets, "- {step: step, read: [d, e]}", "stores:\n" + stores))
    assert [d.code for d in the_plan.spec.warnings].count("KF212") == 1


GIT = "{credentials: {secret: g, sshPrivateKey: id}}"
GIT_CASES = [
    (GIT, "git+ssh://git@gitlab.example.com/data/s.git", True),
    ("{insecureIgnoreHostKey: true, credentials: {secret: g, sshPrivateKey: id}}",
     "git+ssh://git@gitlab.example.com/data/s.git", False),
    (GIT, "git+ssh://git@github.com/org/r.git", False),
    (GIT, "git+ssh://git@GitLab.com/org/r.git", False),
    (GIT, "git+ssh://git@bitbucket.org/org/r.git", False),
    (GIT, "git+ssh://git@ssh.dev.azure.com/v3/org/p/r", False),
    (GIT, "git+ssh://git@vs-ssh.visualstudio.com/v3/org/p/r", False),
    (GIT, "git+ssh://git@github.com:22/org/r.git", False),
    (GIT, "git+ssh://git@gitlab.com:2222/org/r.git", True),  # known_hosts has port 22 only
    (GIT, "git+https://gitlab.example.com/data/s.git", False),  # no host key at all
    (None, "git+ssh://git@git.corp.example/data/s.git", True),  # no store: the default check
]


@pytest.mark.parametrize(("store", "uri", "warned"), GIT_CASES)
def test_git_ssh_to_a_host_argoexec_does_not_know_warns(
        store: str | None, uri: str, warned: bool) -> None:
    stores = f"  gl:\n    git: {store}\n" if store else "  gl: {git: {}}\n"  # unused
    dataset = f"d: {{uri: '{uri}', revision: main{', store: gl' if store else ''}}}"
    found = [d for d in warnings(stores, dataset) if d.code == "KF213"]
    assert bool(found) == warned, found
    for d in found:
        assert d.severity is Severity.WARNING
        assert "insecureIgnoreHostKey: true" in d.hint


def test_kf212_also_warns_on_the_kfp_v2_path() -> None:
    """KFP's launcher gets ``disableSSL`` from the same ``insecure`` (backend 2.14.0 to 2.17.0)."""
    fixture = ROOT / "fixtures" / "kfpv2-flat"
    spec_text = (fixture / "pipeline.kfdata.yaml").read_bytes()
    plain = spec_text.replace(b'"minio-service.kubeflow:9000", insecure: true',
                              b'"minio-service.kubeflow:80"')
    assert plain != spec_text
    result = compile_text((fixture / "pipeline.yaml").read_bytes(), plain, "p.yaml", "s.yaml")
    assert [(d.code, d.location.json_path) for d in result.warnings] == [
        ("KF212", "$.stores.minio.s3.endpoint")]
