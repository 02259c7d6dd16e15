"""A client generated from the served schema by openapi-python-client (pinned) reads all seven
resources anonymously: tests/core/client_script.py, which uses it with a plain ``Client`` (no
token), passes ``mypy --strict`` (pinned) and, run against a live server, reads every record.

Before reads declared no security requirement, the generated list and retrieve functions took an
``AuthenticatedClient`` only, and mypy --strict refused the script (9 errors)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from committees.models import Committee, Group, Standard
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting
from tests.api_clients import *  # noqa: F403 (this module's fixtures)

SCRIPT = Path(__file__).with_name("client_script.py")
BIN = Path(sys.executable).parent
# mypy's cache outlives the run (in .venv, not committed): the standard library, httpx and attrs are
# then read from it, and the generated package, new each run, is checked afresh (by content hash).
MYPY_CACHE = Path(__file__).resolve().parents[2] / ".venv" / "mypy-cache-client"


@pytest.fixture
def generated_client(transactional_db, live_server, tmp_path):
    """The client package ``casco_client``, generated into a temporary directory from the schema
    the live server serves; returns (directory, server URL)."""
    call_command("loaddata", "casco", verbosity=0)
    response = requests.get(f"{live_server.url}/api/v1/schema/", timeout=30)
    assert response.status_code == 200
    schema = tmp_path / "openapi.yaml"
    schema.write_bytes(response.content)
    config = tmp_path / "openapi-python-client.yaml"
    config.write_text("post_hooks: []\n")  # no ruff formatting of the generated code: not needed
    result = subprocess.run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            schema,
            "--meta",
            "none",
            "--output-path",
            tmp_path / "casco_client",
            "--config",
            config,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Any warning means part of the schema could not be turned into code.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    return tmp_path, live_server.url


def test_a_generated_client_reads_every_resource_anonymously_and_type_checks(generated_client):
    directory, url = generated_client
    env = {**os.environ, "MYPYPATH": str(directory), "PYTHONPATH": str(directory)}
    mypy = subprocess.run(
        [BIN / "mypy", "--strict", "--cache-dir", MYPY_CACHE, SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=directory,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr

    run = subprocess.run(
        [sys.executable, SCRIPT, url], capture_output=True, text=True, timeout=120, env=env, cwd=directory
    )
    assert run.returncode == 0, run.stdout + run.stderr
    read = json.loads(run.stdout)
    assert read["counts"] == {
        "committees": Committee.objects.count(),
        "groups": Group.objects.count(),
        "committee-liaisons": CommitteeLiaison.objects.count(),
        "organizations": Organization.objects.count(),
        "organization-liaisons": OrganizationLiaison.objects.count(),
        "meetings": Meeting.objects.count(),
        "standards": Standard.objects.count(),
    }
    assert read["without_parent"] == Committee.objects.filter(parent=None).count() > 0
    assert len(read["parents"]) == Committee.objects.exclude(parent=None).count() > 0
    assert read["liaison_parents"] == CommitteeLiaison.objects.exclude(liaison_committee__parent=None).count()
    assert read["casco"] == {"reference": "ISO/CASCO", "parent": None}
    assert None in read["meeting_committees"] and "ISO/CASCO" in read["meeting_committees"]
    assert read["groups_of_casco"] == Group.objects.filter(committee__reference="ISO/CASCO").count()
