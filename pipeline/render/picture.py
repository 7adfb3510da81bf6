"""A picture a placeholder prints: light to import, so that the model can hold one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Picture:
    """A picture printed by a placeholder (the logo, a chart): the file's bytes, its kind,
    its size on the page and its alternative text; `raster` is a PNG of an SVG, for DOCX."""

    data: bytes
    kind: str  # "png" or "svg"
    width_cm: float
    height_cm: float
    alt: str
    raster: bytes = b""

    @property
    def name(self) -> str:
        """A file name made from the content: the same picture is the same part."""
        return f"{hashlib.sha256(self.data).hexdigest()[:16]}.{self.kind}"

    def __str__(self) -> str:
        return self.alt
