"""Reviewers in the web app: sign-in, CSRF, the login rate limit, and each fact's review status.

The public site stays open and read-only. Reviewers (accounts made with `r2pkg users add`) sign in with
Flask-Login (a signed session cookie, HttpOnly, SameSite=Lax, Secure under https); every write endpoint is
in bp_review, needs a signed-in reviewer and a valid Flask-WTF CSRF token; sign-in attempts are limited per
client by Flask-Limiter. A signed-in reviewer's pages are never cached (they carry controls and tokens).

A fact's status comes from the decisions file (graph/review.py), read again when it changes, so a decision
shows at once on the pages, before a build applies it.
"""
from __future__ import annotations

import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app, request, session
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from r2pkg.graph import review

csrf = CSRFProtect()


class Reviewer(UserMixin):
    def __init__(self, name: str):
        self.id = name
        self.name = name


def register(app: Flask) -> None:
    """Sessions, CSRF and the login limit for the app (called by create_app before the blueprints)."""
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    data_dir = Path(app.config["DATA_DIR"])
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or _secret_key(data_dir)
    secure = app.config.get("REVIEW_SECURE_COOKIES")
    if secure is None:
        secure = str(app.config.get("BASE_URL") or "").startswith("https://")
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=bool(secure),
                      WTF_CSRF_CHECK_DEFAULT=False)      # bp_review protects its own forms; /sparql takes POST queries
    logins = LoginManager()
    logins.login_view = "review.login"
    logins.login_message = "Sign in as a reviewer to do that."
    logins.init_app(app)

    @logins.user_loader
    def _load(name: str) -> Reviewer | None:
        return Reviewer(name) if name in review.read_users(data_dir) else None

    csrf.init_app(app)
    app.extensions["r2pkg.limiter"] = Limiter(get_remote_address, app=app, default_limits=[], storage_uri="memory://",
                                              headers_enabled=True)
    app.extensions["r2pkg.review"] = ReviewState(data_dir)

    @app.after_request
    def _private(response):
        # a reviewer's pages, and the review pages (the sign-in form's token is tied to its session cookie)
        if signed_in() or request.path.startswith("/review/"):
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("ETag", None)
        return response

    @app.context_processor
    def _reviewer() -> dict:
        return {"reviewer": current_user if signed_in() else None, "review_status": review_state().status_of}


def signed_in() -> bool:
    """Whether the request comes from a signed-in reviewer (read without touching the store)."""
    return "_user_id" in session and current_user.is_authenticated


def _secret_key(data_dir: Path) -> str:
    """DATA_DIR/review/secret_key, made once (mode 600): sessions survive a restart, and each installation has its own."""
    path = review.review_dir(data_dir) / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key)
        return key
    except OSError:
        return secrets.token_hex(32)          # a read-only data directory: sessions last until a restart


def review_state() -> "ReviewState":
    return current_app.extensions["r2pkg.review"]


def decisions_stamp() -> str:
    """Changes whenever a decision is written: part of every page's ETag (graph/caching.py)."""
    return review_state().stamp()


# --------------------------------------------------------------------------------------------
# Each fact's status
# --------------------------------------------------------------------------------------------

def term_nt(term) -> str:
    """A pyoxigraph term as N-Triples text, as decisions name terms (graph/review.term)."""
    return f"<{term.value}>" if isinstance(term, ox.NamedNode) else str(term)


@dataclass
class ReviewState:
    """The decisions file, parsed again only when it changed."""

    data_dir: Path
    _key: tuple = ()
    _decisions: list = field(default_factory=list)
    _status: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _fresh(self) -> None:
        path = review.decisions_path(self.data_dir)
        try:
            st = path.stat()
            key = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            key = (0, 0)
        with self._lock:
            if key != self._key:
                self._decisions = review.read_decisions(path)[0]
                self._status = review.resolve(self._decisions)[0]
                self._key = key

    def stamp(self) -> str:
        self._fresh()
        return f"{self._key[0]}-{self._key[1]}" if self._key else "0"

    def decisions(self) -> list:
        self._fresh()
        return list(self._decisions)

    def statuses(self) -> dict:
        self._fresh()
        return self._status

    def status_of(self, triple: tuple[str, str, str]):
        """The review.Status of a fact given as N-Triples terms, or None (extracted, unreviewed)."""
        return self.statuses().get(tuple(triple))


def requested_from() -> str:
    """Where to send a reviewer back to: the page the form was on, only ever a path of this site."""
    target = request.form.get("next") or request.args.get("next") or ""
    # no "//host", no backslash, no whitespace or control character (browsers drop a tab: "/\t/host" is "//host")
    return target if _LOCAL_PATH.fullmatch(target) and not target.startswith("//") else "/"


_LOCAL_PATH = re.compile(r"/[^\s\\\x00-\x1f\x7f]*")
