"""The settings of one web application: passed to :func:`create_app`, never global."""

from __future__ import annotations

from dataclasses import dataclass

from .._errors import Lang

MIB = 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """Limits and where the standards come from.

    ``max_upload_bytes`` bounds one upload (a facts file, a JSONL or zip batch) and every
    request body (plus room for the form's other fields); ``max_unzipped_bytes`` bounds what
    a zip may unpack to in total; ``max_rows`` the documents of one batch; ``max_seconds``
    the time one request may take.  Standards are loaded only by id (or family) from the
    registry of ``standards_dirs`` and the shipped standards."""

    standards_dirs: tuple[str, ...] = ()
    max_upload_bytes: int = 8 * MIB
    max_unzipped_bytes: int = 64 * MIB
    max_rows: int = 2000
    max_seconds: float = 60.0
    lang: Lang = "zh"

    @property
    def max_body_bytes(self) -> int:
        """A request body: an upload sent back base64-encoded (download forms), and the fields."""
        return self.max_upload_bytes * 4 // 3 + 64 * 1024
