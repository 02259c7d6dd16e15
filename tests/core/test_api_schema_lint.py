"""The served schema passes two OpenAPI linters nobody here wrote, as users' own tools would run
them: Redocly CLI (recommended rules, redocly.yaml) and Spectral (spectral:oas, .spectral.yaml).
Any error or warning fails; the few rules turned off are in those files with the reason.

The npm packages are pinned exactly and installed once into ``.venv/node-tools`` (not committed),
where later runs find them."""

import fcntl
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.support import unavailable

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".venv" / "node-tools"
REDOCLY = ("@redocly/cli", "2.77.0", "redocly")
SPECTRAL = ("@stoplight/spectral-cli", "6.16.3", "spectral")

pytestmark = pytest.mark.django_db


def npm_tool(package, version, command):
    """The path of ``command`` from ``package@version``, installed with npm into .venv/node-tools
    if it is not there yet at that version (a lock keeps parallel test workers from installing
    at once)."""
    if not shutil.which("npm"):
        unavailable("npm is not installed: apt-get install -y nodejs npm")
    TOOLS.mkdir(parents=True, exist_ok=True)
    with open(TOOLS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = TOOLS / "node_modules" / package / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text())["version"] != version:
            subprocess.run(
                [
                    "npm",
                    "install",
                    "--prefix",
                    str(TOOLS),
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                    f"{package}@{version}",
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
    return str(TOOLS / "node_modules" / ".bin" / command)


@pytest.fixture
def schema_file(client, tmp_path):
    """The schema as the portal serves it, in a file for the linters."""
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["openapi"].startswith("3.0")
    path = tmp_path / "openapi.yaml"
    path.write_bytes(response.content)
    return path


def test_redocly_recommended_rules_report_nothing(schema_file):
    redocly = npm_tool(*REDOCLY)
    result = subprocess.run(
        [redocly, "lint", str(schema_file), "--config", str(ROOT / "redocly.yaml"), "--format=json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    report = json.loads(result.stdout)
    problems = [
        f"{p['severity']} {p['ruleId']}: {p['message']} at {p['location'][0]['pointer']}" for p in report["problems"]
    ]
    print(f"Redocly: {report['totals']}")
    assert report["totals"]["errors"] == report["totals"]["warnings"] == 0, "\n".join(problems)
    assert not problems and result.returncode == 0, "\n".join(problems) or result.stderr


def test_spectral_oas_rules_report_nothing(schema_file, tmp_path):
    spectral = npm_tool(*SPECTRAL)
    output = tmp_path / "spectral.json"
    result = subprocess.run(
        [
            spectral,
            "lint",
            str(schema_file),
            "--ruleset",
            str(ROOT / ".spectral.yaml"),
            "--format",
            "json",
            "--output",
            str(output),
            "--fail-severity",
            "hint",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert output.exists(), result.stdout + result.stderr
    findings = json.loads(output.read_text() or "[]")
    severities = {0: "error", 1: "warning", 2: "info", 3: "hint"}
    problems = [
        f"{severities[f['severity']]} {f['code']}: {f['message']} at {'/'.join(map(str, f['path']))}" for f in findings
    ]
    print(f"Spectral: {len(problems)} findings")
    assert not problems, "\n".join(problems)
    assert result.returncode == 0, result.stdout + result.stderr
