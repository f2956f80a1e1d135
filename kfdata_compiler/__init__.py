"""kfdata-compiler: bind datasets to compiled Kubeflow Pipelines / Argo Workflows.

    from kfdata_compiler import compile_file
    result = compile_file(Path("pipeline.yaml"))   # spec: pipeline.kfdata.yaml
    Path("pipeline.bound.yaml").write_text(result.output)
"""

from __future__ import annotations

from kfdata_compiler.compiler import CompileResult, compile_file, compile_text
from kfdata_compiler.errors import KfdataError

__all__ = ["CompileResult", "KfdataError", "compile_file", "compile_text"]
__version__ = "0.1.0"
