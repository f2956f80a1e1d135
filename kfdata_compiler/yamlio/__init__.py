"""The one module that imports PyYAML: load with Go's meaning, dump so Go reads it back the same.

Argo's controller, KFP's API server and kubectl read YAML with Go (``sigs.k8s.io/yaml``, YAML 1.1
rules), and PyYAML's resolver disagrees with Go on some plain scalars (``n`` is a string to PyYAML
and ``false`` to Go; ``1e3`` a string to PyYAML and a float to Go). So plain scalars are typed
with Go's rules (:mod:`.goresolve`), and a string is written plain only when both
Go and PyYAML read that plain text back as the same string::

    load_documents("name: n\nx: 1e3\n", "f.yaml")  ->  [{'name': False, 'x': 1000.0}]
    dump_documents([{"name": "n", "x": "1e3"}])     ->  "name: 'n'\nx: '1e3'\n"

libyaml parses (:mod:`.read`, with :mod:`.build` turning its events into values bounded like
Go: depth, aliases); :mod:`.dump` writes libyaml's block style (:mod:`.write`), with libyaml
itself as the fallback. Private classes only: importing ``hera.workflows`` adds
representers to PyYAML's global classes, and the output must not depend on what was imported.
"""

from __future__ import annotations

from kfdata_compiler.yamlio.dump import dump_documents, plain_is_string
from kfdata_compiler.yamlio.libyaml import no_cyclic_gc
from kfdata_compiler.yamlio.read import MAX_DEPTH, Positions, load_documents

# KFP v2 IR is read and written the way kfp does (.kfpstyle), imported by that format alone.
__all__ = ["MAX_DEPTH", "Positions", "dump_documents", "load_documents", "no_cyclic_gc",
           "plain_is_string"]
