"""Escaping untrusted text and writing files atomically."""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

__all__ = ["escape_html", "atomic_write_bytes", "atomic_write_text"]

# Beyond html.escape: backticks and ${ break out of folium's JS template literals,
# and a backslash can end a JS string early.
_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape_html(text: object) -> str:
    """Text safe to place in HTML, in folium popups/tooltips and in JS template literals."""
    return html.escape(str(text), quote=True).translate(_EXTRA)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write to a temporary file beside ``path`` and rename it over: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            # mkstemp creates 0600; give the file the permissions a plain open() would.
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))
