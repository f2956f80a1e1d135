"""Validators compiled from ``kfdata_compiler/_schemas`` by :mod:`kfdata_compiler.schemagen`."""
