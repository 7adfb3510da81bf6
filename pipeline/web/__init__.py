"""The secretary's workbench: a local web application over inputs/ and outputs/ (`minutes serve`).

This package is the only one that knows the web framework (Flask). It guards the server the
way Jupyter and Datasette guard theirs: a one-time token in the printed address becomes an
HttpOnly, SameSite=Strict session cookie; a request without it, or whose Host is not this
computer, is refused; every form carries a CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, render_template, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, InternalServerError

from pipeline.i18n import _, language

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass
class Settings:
    """Where the workbench works and how it is reached."""

    inputs: Path = Path("inputs")
    outputs: Path = Path("outputs")
    organisation: Path | None = None
    templates: Path | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    host: str = "127.0.0.1"  # the address served; requests must name it (or loopback)
    port: int = 8765
    tls: bool = False


def create_app(settings: Settings | None = None, **config: Any) -> Flask:
    """The workbench application (Flask's application factory)."""
    settings = settings or Settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per run: a restart ends every session
        SESSION_COOKIE_NAME=f"minutes_{settings.port}",  # cookies are shared across ports
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.tls,
        WTF_CSRF_TIME_LIMIT=None,  # a meeting's notes form stays open for hours
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,  # attachments
        WORKBENCH=settings,
    )
    app.config.update(config)
    app.jinja_env.globals.update(_=_, language=language)
    _guard(app, settings)
    CSRFProtect(app)  # after the guard: a stranger is refused before the form is looked at
    app.after_request(_headers)
    _error_pages(app)

    from pipeline.web.views import bp

    app.register_blueprint(bp)
    return app


def _guard(app: Flask, settings: Settings) -> None:
    """Refuse every request but the signed-in secretary's, to this computer's address."""
    token_used = [False]
    allowed_hosts = LOOPBACK | {settings.host.strip("[]")}

    @app.before_request
    def guard() -> Any:
        # DNS rebinding: a page of another site that resolves its name to 127.0.0.1 sends
        # its own name as Host.
        if _hostname(request.host) not in allowed_hosts:
            abort(403, _("This address is not the workbench's; open the address it printed."))
        if request.endpoint == "static":
            # The stylesheet and the script, which every page has, the refusal too; they hold
            # nothing of the meetings (the folder is the package's own, served by Flask's
            # path-checked static route).
            return None
        token = request.args.get("token")
        if token is not None:
            if token_used[0] or not hmac.compare_digest(token, settings.token):
                abort(
                    403,
                    _(
                        "This sign-in link is not valid or was already used. Stop the "
                        "workbench and start it again with `minutes serve` for a new link."
                    ),
                )
            token_used[0] = True
            session.clear()
            session["signed_in"] = True
            # On to the page without the token, so that it leaves the address bar and the
            # history; by a page of this site rather than a redirect, so that the
            # SameSite=Strict cookie goes along even when the link came from elsewhere (the
            # browser is opened with a local file: see serve.opening_page).
            target = "/" + request.path.lstrip("/")
            return render_template("signed_in.html", target=target)
        if not session.get("signed_in"):
            abort(
                403,
                _("Open the workbench with the address that `minutes serve` printed."),
            )
        return None


def _headers(response: Response) -> Response:
    """No framing, no sniffing, no referrer, nothing cached, and only this site's scripts."""
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_pages(app: Flask) -> None:
    """A refused form, a refused request and a missing page, said on a page of the workbench."""

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> tuple[str, int]:
        message = _(
            "The form was not accepted: its security token is missing or old. Reload the page "
            "and send the form again."
        )
        return render_template("error.html", message=message), 400

    @app.errorhandler(403)
    def forbidden(error: Any) -> tuple[str, int]:
        return render_template("error.html", message=error.description), 403

    @app.errorhandler(404)
    def not_found(error: Any) -> tuple[str, int]:
        return render_template("error.html", message=_("There is no such page.")), 404

    @app.errorhandler(HTTPException)
    def refused(error: HTTPException) -> tuple[str, int]:
        """The other refusals (a wrong method, a file too large, a garbled request) in the
        secretary's words, not the framework's English."""
        code = error.code or 400
        if code == 413:
            message = _(
                "The file is too large: at most {size} MB can be sent at a time. Make the file "
                "smaller, or put it in the meeting's liitteet folder yourself."
            ).format(size=app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))
        else:
            message = _("The workbench cannot do this. Go back, reload the page and try again.")
        return render_template("error.html", message=message), code

    @app.errorhandler(InternalServerError)
    def failed(error: InternalServerError) -> tuple[str, int]:
        """An unforeseen failure: the page says so without the trace, which goes to the
        terminal running `minutes serve` (Flask logs it)."""
        message = _(
            "Something went wrong in the workbench, and the step was not finished. The "
            "details are in the window where `minutes serve` runs; reload the page to try again."
        )
        return render_template("error.html", message=message), 500


def _hostname(host: str) -> str:
    """The name in a Host header, without its port: `[::1]:8765` → `::1`."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
