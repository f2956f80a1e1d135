"""kfdata-compiler: bind datasets to compiled Kubeflow Pipelines / Argo Workflows.

    from kfdata_compiler import compile_file
    result = compile_file(Path("pipeline.yaml"))   # spec: pipeline.kfdata.yaml
    Path("pipeline.bound.yaml").write_text(result.output)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kfdata_compiler.api import BindResult, bind
    from kfdata_compiler.compiler import CompileResult, compile_file, compile_text
    from kfdata_compiler.errors import KfdataError

__all__ = ["BindResult", "CompileResult", "KfdataError", "bind", "compile_file", "compile_text"]
__version__ = "0.2.0"

# Imported on first use, so that `kfdata-compile` (kfdata_compiler.__main__) can set up its
# process before the compiler's modules load.
_HOMES = {"CompileResult": "compiler", "compile_file": "compiler", "compile_text": "compiler",
          "KfdataError": "errors", "bind": "api", "BindResult": "api"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"kfdata_compiler.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'kfdata_compiler' has no attribute {name!r}")
