"""Running the workbench: a production WSGI server on this computer, the address with its token."""

from __future__ import annotations

import html
import ipaddress
import signal
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline import storage
from pipeline.i18n import _
from pipeline.web import Settings, create_app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address_refusal(host: str, cert: Path | None, key: Path | None) -> str | None:
    """Why the workbench will not listen on `host` (None: it will). Another address than this
    computer's own is served only when asked for and only over TLS."""
    if is_loopback(host):
        return None
    if cert is None or key is None:
        return _(
            "The workbench listens on {host} only over TLS: give --cert and --key (a certificate "
            "and its private key). Without --host it is reachable from this computer only."
        ).format(host=host)
    return None


def run(
    settings: Settings,
    *,
    cert: Path | None = None,
    key: Path | None = None,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted (Ctrl+C)."""
    from cheroot import wsgi

    # cheroot rather than waitress: the same production server also speaks TLS, which the
    # explicit non-loopback mode requires.
    server = wsgi.Server((settings.host, settings.port), create_app(settings), numthreads=8)
    if cert is not None and key is not None:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(str(cert), str(key))
    server.prepare()  # binds: the port is known from here on
    port = server.bind_addr[1]
    scheme = "https" if settings.tls else "http"
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"{scheme}://{host}:{port}/?token={settings.token}"
    announce(_("The workbench is at {url}\nThe link works once; stop with Ctrl+C.").format(url=url))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # stopped by the system: as by Ctrl+C
    with tempfile.TemporaryDirectory(prefix="minutes-serve-") as private:  # owner-only
        if open_browser:
            page = opening_page(url, Path(private))
            threading.Timer(0.3, webbrowser.open, [page.as_uri()]).start()
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def opening_page(url: str, folder: Path) -> Path:
    """A page, readable by its owner only, that takes the browser on to `url`.

    The browser is started with this file's name instead of the address: a program's command
    line is readable by every user of the computer, and on a shared PC another user could
    sign in with the token before the secretary's browser does (Jupyter opens its server the
    same way, through a redirect file)."""
    shown = html.escape(url, quote=True)
    text = (
        '<!doctype html>\n<html lang="fi"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0;url={shown}">'
        f"<title>{html.escape(_('Minutes workbench'))}</title></head>"
        f'<body><p><a href="{shown}">{html.escape(_("Open the workbench"))}</a></p></body></html>\n'
    )
    page = folder / "avaa.html"
    storage.atomic_write(page, text.encode("utf-8"), mode=0o600)
    return page
