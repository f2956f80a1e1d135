"""The launcher's path rule, pinned: KFP backend 2.17.0 ``backend/src/v2/component/
launcher_v2.go`` ``LocalPathForURI`` (gs -> /gcs/, minio -> /minio/, s3 -> /s3/, the rest of the
URI kept as it is), and the workspace copy the importer launcher writes with Go's
``filepath.Join`` (cleaned: no trailing ``/``). Re-check on every KFP minor release."""

from __future__ import annotations

import pytest

from kfdata_compiler.formats.kfpv2 import launcher

TABLE = [
    # uri                          LocalPathForURI                workspace copy
    ("gs://b/k", "/gcs/b/k", "/kfp-workspace/.artifacts/gcs/b/k"),
    ("gs://corpora/en/", "/gcs/corpora/en/", "/kfp-workspace/.artifacts/gcs/corpora/en"),
    ("minio://mlpipeline/datasets/r", "/minio/mlpipeline/datasets/r",
     "/kfp-workspace/.artifacts/minio/mlpipeline/datasets/r"),
    ("s3://corp-datasets/vocab/v3/", "/s3/corp-datasets/vocab/v3/",
     "/kfp-workspace/.artifacts/s3/corp-datasets/vocab/v3"),
    ("s3://b//a/./k", "/s3/b//a/./k", "/kfp-workspace/.artifacts/s3/b/a/k"),
]


@pytest.mark.parametrize(("uri", "local", "workspace"), TABLE)
def test_the_launcher_path_rule(uri: str, local: str, workspace: str) -> None:
    assert launcher.local_path(uri) == local
    assert launcher.workspace_path(uri) == workspace
    assert launcher.workspace_parameter(uri) == workspace.replace(
        "/kfp-workspace", "{{$.workspace_path}}", 1)


def test_the_root_scheme_takes_over_the_bucket() -> None:
    assert launcher.with_scheme("s3://mlpipeline/x", "minio") == "minio://mlpipeline/x"
    assert launcher.bucket("minio://mlpipeline/v2/artifacts") == "mlpipeline"
