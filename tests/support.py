"""Helpers the test modules share: whether this is a CI run, how to report a missing service or
browser (a skip on a developer's machine, a failure under CI=true), a free loopback port, and the
row counts of the portal's tables."""

import os
import socket

import pytest

from core.registry import portal_models

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason):
    """Skip the test because ``reason`` (a server, tool or browser missing); fail it under CI=true,
    where nothing CI is meant to check may be skipped."""
    if IN_CI:
        pytest.fail(f"{reason} (under CI=true this is a failure, not a skip)")
    pytest.skip(reason)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def row_counts():
    """Rows in every table of the portal's apps (history tables included)."""
    return {model._meta.label: model._default_manager.count() for model in portal_models(history=True)}
