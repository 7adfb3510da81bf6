"""The municipality's logo (`logo:` in organisation.yaml): read, checked and sized for the
letterhead of every document, with its alternative text."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.i18n import _
from pipeline.render.picture import Picture

LOGO_HEIGHT_CM = 2.0  # a municipal letterhead: the coat of arms about 2 cm high, top left
MAX_LOGO_BYTES = 5 * 1024 * 1024
_SVG = "{http://www.w3.org/2000/svg}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_LENGTH = re.compile(r"\s*([0-9.]+)\s*(px|pt|mm|cm|in)?\s*$")


class LogoError(ValueError):
    """Why a logo file cannot be used, in words for the secretary."""


def read_logo(path: Path, municipality: str) -> Picture:
    """The logo file as a picture 2 cm high; its alternative text is the file's own title, else
    "<municipality> vaakuna". Raises LogoError when it is missing, not a PNG or SVG, or
    unreadable."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise LogoError(_("the logo {name} should be a PNG or SVG file").format(name=path.name))
    try:
        if path.stat().st_size > MAX_LOGO_BYTES:
            raise LogoError(
                _("the logo {name} is larger than 5 MB; use a smaller file").format(name=path.name)
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoError(
            _(
                "the logo file {name} is not in {folder}; put it beside organisation.yaml or "
                "correct the name"
            ).format(name=path.name, folder=path.parent)
        ) from None
    except OSError as exc:
        raise LogoError(
            _("the logo file {name} cannot be read ({reason})").format(
                name=path.name, reason=exc.strerror
            )
        ) from None
    if kind == "png":
        return _png(data, path.name, municipality)
    return _svg(data, path.name, municipality)


def _png(data: bytes, name: str, municipality: str) -> Picture:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise LogoError(
                    _("the logo {name} is not a PNG image; save it again as PNG").format(name=name)
                )
            width, height = image.size
            title = str(image.info.get("Title", "")).strip()
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise LogoError(
            _("the logo {name} is not a readable PNG image ({reason})").format(
                name=name, reason=exc
            )
        ) from None
    alt = title or f"{municipality} vaakuna"
    return Picture(data, "png", LOGO_HEIGHT_CM * width / height, LOGO_HEIGHT_CM, alt)


def _svg(data: bytes, name: str, municipality: str) -> Picture:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise LogoError(
            _("the logo {name} is not a readable SVG file ({reason})").format(name=name, reason=exc)
        ) from None
    if root.tag != f"{_SVG}svg":
        raise LogoError(
            _("the logo {name} is not an SVG image (its root is not <svg>)").format(name=name)
        )
    width, height = _svg_size(root)
    if not width or not height:
        raise LogoError(
            _("the logo {name} has no size: give the <svg> a viewBox or width/height").format(
                name=name
            )
        )
    title = root.find(f"{_SVG}title")
    alt = " ".join((title.text or "").split()) if title is not None else ""
    raster = _rasterise(data, name, height)
    return Picture(
        data,
        "svg",
        LOGO_HEIGHT_CM * width / height,
        LOGO_HEIGHT_CM,
        alt or f"{municipality} vaakuna",
        raster,
    )


def _svg_size(root: Any) -> tuple[float, float]:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return float(box[2]), float(box[3])
        except ValueError:
            pass
    sizes = [_LENGTH.match(root.get(a) or "") for a in ("width", "height")]
    if all(sizes):
        return float(sizes[0][1]), float(sizes[1][1])  # type: ignore[index]
    return 0.0, 0.0


def _rasterise(data: bytes, name: str, height: float) -> bytes:
    """A PNG of the SVG for DOCX (Word needs one beside an SVG), 600 dpi at 2 cm. cairosvg's
    safe mode (its default) fetches nothing the SVG names outside itself but data: URLs."""
    import cairosvg

    try:
        return bytes(
            cairosvg.svg2png(
                bytestring=data,
                output_height=round(LOGO_HEIGHT_CM / 2.54 * 600),
            )
        )
    except LogoError:
        raise
    except Exception as exc:  # cairosvg raises many kinds for a broken drawing
        raise LogoError(
            _("the logo {name} cannot be drawn ({reason})").format(name=name, reason=exc)
        ) from None
