"""Pooled ``requests`` sessions: one per connection key per process."""

from __future__ import annotations

import os
import threading
from http.cookiejar import DefaultCookiePolicy

import requests
from requests.adapters import HTTPAdapter

_sessions: dict[str, requests.Session] = {}
_lock = threading.Lock()
_pid = os.getpid()

POOL_MAXSIZE = 10


def new_session() -> requests.Session:
    """A session for channel APIs: connection pooling, no cookies kept, no redirects followed by the client."""
    session = requests.Session()
    # Channel APIs are stateless; a shared session must never carry one restaurant's cookies to another's call.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=POOL_MAXSIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def session_for(key: str) -> requests.Session:
    """The process's pooled session for ``key`` (e.g. a connection id), created on first use.

    Thread-safe. After a fork (Celery prefork) the child starts with fresh
    sessions instead of sharing the parent's sockets.
    """
    global _pid
    with _lock:
        if os.getpid() != _pid:
            _sessions.clear()
            _pid = os.getpid()
        session = _sessions.get(key)
        if session is None:
            session = _sessions[key] = new_session()
        return session


def close_sessions() -> None:
    """Close and forget every pooled session (tests, worker shutdown)."""
    with _lock:
        sessions = list(_sessions.values())
        _sessions.clear()
    for session in sessions:
        session.close()
