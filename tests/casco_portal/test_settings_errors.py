"""Settings the portal cannot start with stop it with one line naming the variable, never a
traceback (casco_portal/config.py): a weak SECRET_KEY in production (as `check --deploy` judges it:
under 50 characters, under 5 distinct ones, Django's development prefix) and any numeric variable
that is not a number. PRODUCTION PROCESS: each case runs `manage.py check` (or gunicorn) in a fresh
interpreter, since settings are computed when they are imported."""

import subprocess
import sys

import pytest

from tests.casco_portal.test_headers import ROOT, production_env
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

# Every numeric variable casco_portal/settings.py reads.
NUMERIC = [
    "CONN_MAX_AGE",
    "REPLICA_PIN_SECONDS",
    "PUBLIC_CACHE_SECONDS",
    "SECURE_HSTS_SECONDS",
    "TRUSTED_PROXY_COUNT",
    "AXES_FAILURE_LIMIT",
    "AXES_IP_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
]


def manage_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("x", "SECRET_KEY is too short (1 characters, at least 50"),
        ("k" * 49, "SECRET_KEY is too short (49 characters"),
        ("abcd" * 20, "SECRET_KEY has only 4 distinct characters"),
        ("django-insecure-" + "q1w2e3r4t5y6" * 5, "SECRET_KEY starts with 'django-insecure-'"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key, fragment):
    env = production_env(tmp_path)
    env["SECRET_KEY"] = key
    assert_one_line_error(manage_check(env), fragment)


def test_a_weak_secret_key_is_fine_for_development(tmp_path):
    env = production_env(tmp_path)
    env.update(SECRET_KEY="x", DEBUG="true")
    result = manage_check(env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", NUMERIC)
def test_a_numeric_variable_that_is_not_a_number_is_named(tmp_path, name):
    result = manage_check(production_env(tmp_path, **{name: "1m"}))
    assert_one_line_error(result, f"{name} must be a whole number, not '1m'")


def test_a_negative_number_is_refused_too(tmp_path):
    assert_one_line_error(manage_check(production_env(tmp_path, CONN_MAX_AGE="-5")), "CONN_MAX_AGE must be at least 0")


def test_gunicorn_stops_with_the_same_line(tmp_path):
    """Under gunicorn a worker that cannot load the settings prints the line and exits with
    gunicorn's "App failed to load" status, which stops the master instead of restarting workers."""
    env = production_env(tmp_path, CONN_MAX_AGE="1m")
    command = [sys.executable, "-m", "gunicorn", "-c", "casco_portal/gunicorn.conf.py", "--bind", "127.0.0.1:0",
               "--workers", "1", "casco_portal.wsgi"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 4, result.stderr[-2000:]
    assert "Configuration error: CONN_MAX_AGE must be a whole number, not '1m'." in result.stderr
    assert "Traceback" not in result.stderr
    env = production_env(tmp_path, GUNICORN_TIMEOUT="30s")  # read by the config file, in the master
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip() == "Configuration error: GUNICORN_TIMEOUT must be a whole number, not '30s'."


def test_the_readers_themselves(monkeypatch):
    """IN PROCESS: casco_portal/config.py's number readers, floats included (for settings such as
    timeouts in seconds)."""
    from casco_portal.config import ConfigurationError, env_float, env_int

    monkeypatch.setenv("SOME_SECONDS", " 0.25 ")
    assert env_float("SOME_SECONDS", 1.0) == 0.25
    monkeypatch.setenv("SOME_SECONDS", "")
    assert env_float("SOME_SECONDS", 1.5) == 1.5 and env_int("SOME_SECONDS", 3) == 3
    for value, message in [
        ("250ms", "SOME_SECONDS must be a number, not '250ms'."),
        ("inf", "SOME_SECONDS must be a finite number, not 'inf'."),
        ("-1", "SOME_SECONDS must be at least 0, not '-1'."),
    ]:
        monkeypatch.setenv("SOME_SECONDS", value)
        with pytest.raises(ConfigurationError) as error:
            env_float("SOME_SECONDS", 1.0)
        assert str(error.value) == message
    monkeypatch.setenv("SOME_SECONDS", "1.5")
    with pytest.raises(ConfigurationError, match=r"^SOME_SECONDS must be a whole number, not '1.5'\.$"):
        env_int("SOME_SECONDS", 1)
