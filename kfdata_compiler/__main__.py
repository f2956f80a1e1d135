"""``python -m kfdata_compiler``."""

from __future__ import annotations

from kfdata_compiler.cli import main

raise SystemExit(main())
