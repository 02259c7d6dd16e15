"""Load benchmark: the production server (gunicorn, DEBUG off) on PostgreSQL, driven by wrk.

For each data size N (the real data plus N times as much synthetic data) and with the public
cache on and off, it warms up, then drives every endpoint below at a fixed concurrency for a fixed
time, beside a trivial view (`/_ping`, a constant response through the same server and
middleware: the framework's own ceiling, mounted only by ``benchmarks.settings``, which every
server and query count here runs with: ``settings_module``). It prints requests/s, p50 and p99
latency, errors, queries per request (counted in-process with the cache off) and each endpoint's
throughput as a ratio of the trivial view's.

    .venv/bin/python benchmarks/load.py                      # N = 1, 10, 100 (run times: docs/benchmarks.md)
    .venv/bin/python benchmarks/load.py --factors 1 --duration 3
    .venv/bin/python benchmarks/load.py --paired --factors 1,100   # paginated growth, N measured in turns
    .venv/bin/python benchmarks/load.py --compare 38ad6e5 --factors 1 --duration 2   # before/after a change

`--compare <git-ref>` measures a change rather than the portal: it checks `<git-ref>` out into a
temporary git worktree (its `.venv` a symlink to this tree's) and serves that tree ("before") and
this working tree, uncommitted changes included ("after"), from two gunicorns at once on one
database prepared by this tree (DATABASE_URL's name + `_compare`: casco_bench_compare). Each
endpoint is driven on one server, then the other, in turns (`--repeats`, the order swapped every
turn), so both see the same moods of a shared machine; the table gives the medians and the ratio
after/before of req/s, p50 and p99, in how many turns the after tree served fewer requests, and
queries per request in each tree. An endpoint a tree answers with 404 (a URL that tree does not
serve) is shown as not served, not measured. The cache is off unless `--modes` says otherwise:
with it on, both trees mostly measure the same cache.

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/casco_bench — the
database is dropped and re-created), Redis for the cached runs (REDIS_URL, default
redis://127.0.0.1:6379/15) and wrk (`apt-get install wrk`). This is a benchmark, not a test.
"""

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENDPOINTS = [
    ("trivial view", "/_ping"),
    ("home", "/"),
    ("structure", "/structure/"),
    ("group list", "/groups/"),
    ("liaison table", "/liaisons/"),
    ("organization list", "/organizations/"),
    ("meeting list", "/meetings/"),
    ("group detail", "/groups/iso-casco-wg-30/"),
    ("committee detail", "/committees/iso-tc-207/"),
    ("search", "/search/?q=KEBS"),
    ("API group list", "/api/v1/groups/"),
    ("API group list, 10 a page", "/api/v1/groups/?page_size=10"),
    ("API group detail", "/api/v1/groups/iso-casco-wg-30/"),
    ("API liaison list", "/api/v1/committee-liaisons/?direction=both"),
    ("iCal feed", "/meetings/calendar.ics"),
    # Reference rows, not targets: what the framework costs before any data is read. The search
    # page without a query is the site's layout and a one-field form (no query but the request's
    # transaction); the API root is DRF answering with a few links.
    ("ref: page layout only", "/search/"),
    ("ref: DRF only (API root)", "/api/v1/"),
]
PAGINATED = {
    "group list",
    "organization list",
    "meeting list",
    "API group list",
    "API group list, 10 a page",
    "API liaison list",
    "liaison table",
}
TRIVIAL = "trivial view"
REFERENCE = "ref: "  # rows measured and shown beside the endpoints, left out of the verdicts
# Issue 6's targets: throughput as a share of the trivial view's, p99 latency at concurrency 8,
# and how much slower a paginated endpoint may get at the largest N than at the smallest.
RATIO_TARGETS = {"cached": 0.5, "uncached": 0.25}
MODE_NAMES = {"cached": "on", "uncached": "off"}
P99_TARGET_MS = 50
GROWTH_TARGET = 1.5


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def prepare_database(env, factor):
    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[-1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg2

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    run([PYTHON, "manage.py", "setup_portal"], env, stdout=subprocess.DEVNULL)
    run([PYTHON, "manage.py", "synthetic_data", "--factor", str(factor)], env, stdout=subprocess.DEVNULL)
    # Fresh statistics, as autovacuum would gather within a minute of a bulk load in production:
    # without them the planner guesses ten rows for a table of thousands.
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    conn.close()
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)


def settings_module(root=ROOT):
    """The settings the tree at `root` is served and counted with: ``benchmarks.settings`` (the
    portal's URLs plus `/_ping`), or, in a tree older than that module, the portal's own settings,
    whose URLs then still held `/_ping`."""
    return "benchmarks.settings" if (Path(root) / "benchmarks" / "settings.py").exists() else "casco_portal.settings"


def count_queries(env, root=ROOT):
    """Queries per request for each endpoint, in-process, cache off, served by the tree at `root`."""
    code = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
settings.PUBLIC_CACHE_SECONDS = 0
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
out = {}
for name, path in json.loads(input()):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    out[name] = [len(ctx.captured_queries), response.status_code, len(response.content)]
print(json.dumps(out))
"""
    import json

    result = subprocess.run(
        [PYTHON, "-c", code],
        cwd=root,
        env={**env, "DJANGO_SETTINGS_MODULE": settings_module(root)},
        input=json.dumps(ENDPOINTS),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"counting queries failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_server(env, port, workers, root=ROOT):
    # gunicorn's log goes to a file, never to an unread pipe: once ~64 KiB were written to the pipe,
    # gunicorn would block writing its log, and requests and its stop would hang.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop_server)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "casco_portal/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "casco_portal.wsgi",
        ],
        cwd=root,
        env={**env, "DJANGO_SETTINGS_MODULE": settings_module(root)},
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    process.log = log
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    log.seek(0)
    raise SystemExit(f"gunicorn did not become healthy: {log.read().decode()[-2000:]}")


def stop_server(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    process.log.close()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    match = re.match(r"([0-9.]+)(us|ms|s|m)$", text)
    if not match:
        raise ValueError(f"cannot read a latency from {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url, duration, concurrency):
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(2, concurrency)}",
            f"-c{concurrency}",
            f"-d{duration}s",
            "--latency",
            "-H",
            "X-Forwarded-Proto: https",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    if "Latency Distribution" not in out:
        raise SystemExit(f"wrk printed no latency distribution:\n{out}\n{result.stderr}")
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in match.groups())
    return rps, p50, p99, errors


def mode_env(env, mode):
    """The server's environment with the public cache on (Redis, emptied first) or off."""
    env = dict(env)
    if mode == "cached":
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
        env["PUBLIC_CACHE_SECONDS"] = "300"
        subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], check=False, capture_output=True)
    else:
        env.pop("REDIS_URL", None)
        env["PUBLIC_CACHE_SECONDS"] = "0"
    return env


def paired_growth(base_env, factors, modes, args):
    """The paginated endpoints at the smallest and the largest N, measured in turns.

    A shared 2-CPU machine drifts by a quarter within a run (the trivial view measured first
    and last differs that much); measured minutes apart, N = 1 and N = 100 compare the machine's
    moods as much as the endpoints. Here both databases are served at once, by two servers, and
    each endpoint is measured on one, then the other, ``--repeats`` times; the ratio is of the
    medians. Returns {mode: {endpoint: (low p50s, high p50s)}}."""
    low, high = factors[0], factors[-1]
    url = base_env["DATABASE_URL"]
    envs = {}
    for factor in (low, high):
        envs[factor] = {**base_env, "DATABASE_URL": f"{url}_{factor}", "CACHE_KEY_PREFIX": f"bench{factor}"}
        prepare_database(envs[factor], factor)
    out = {}
    for mode in modes:
        ports = {factor: free_port() for factor in (low, high)}
        servers = {factor: start_server(mode_env(envs[factor], mode), ports[factor], args.workers) for factor in ports}
        try:
            out[mode] = {}
            for name, path in ENDPOINTS:
                if name not in PAGINATED:
                    continue
                samples = {low: [], high: []}
                for _ in range(args.repeats):
                    for factor in (low, high):
                        target = f"http://127.0.0.1:{ports[factor]}{path}"
                        wrk(target, 1, args.concurrency)  # warm-up
                        samples[factor].append(wrk(target, args.duration, args.concurrency)[1])
                out[mode][name] = (samples[low], samples[high])
                ratio = statistics.median(samples[high]) / statistics.median(samples[low])
                print(
                    f"paired {mode:<8} {name:<26} N={low}: {' '.join(f'{v:.1f}' for v in samples[low])} ms  "
                    f"N={high}: {' '.join(f'{v:.1f}' for v in samples[high])} ms  ratio {ratio:.2f}",
                    flush=True,
                )
        finally:
            for server in servers.values():
                stop_server(server)
    return out


def checkout_tree(ref):
    """`ref` checked out, detached, into a temporary git worktree whose `.venv` is this tree's."""
    path = Path(tempfile.mkdtemp(prefix="casco-compare-")) / "tree"
    run(["git", "worktree", "add", "--quiet", "--detach", str(path), ref], None)
    if not (path / ".venv").is_symlink() and not (path / ".venv").exists():
        (path / ".venv").symlink_to(ROOT / ".venv")
    return path


def remove_tree(path):
    run(["git", "worktree", "remove", "--force", str(path)], None)
    shutil.rmtree(path.parent, ignore_errors=True)


def describe_tree(root):
    """The tree's commit, and whether files git tracks differ from it."""

    def git(*arguments):
        return subprocess.run(["git", *arguments], cwd=root, capture_output=True, text=True, check=True).stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if changed else "")


def prepare_tree(env, root):
    """Another tree made ready to serve the database this tree prepared: its own static files
    (collected by its own code into its own STATIC_ROOT), and a warning if it has migrations the
    database lacks."""
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=root, env=env, check=True)
    check = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--check", "-v0"], cwd=root, env=env, capture_output=True, check=False
    )
    if check.returncode:
        print(f"warning: {root} has migrations the database prepared by {ROOT} lacks", flush=True)


def http_status(port, path):
    """The status a server answers `path` with (redirects not followed)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        return conn.getresponse().status
    finally:
        conn.close()


def measure_in_turns(urls, args):
    """wrk samples (req/s, p50, p99, errors) of one endpoint on each server, taken in turns.

    Each server gets a one-second warm-up, then each turn drives one server and then the other,
    the order swapped every turn so neither always goes first. Returns {label: [sample per turn]}."""
    for url in urls.values():
        wrk(url, 1, args.concurrency)
    samples = {label: [] for label in urls}
    for turn in range(args.repeats):
        order = list(urls) if turn % 2 == 0 else list(reversed(urls))
        for label in order:
            samples[label].append(wrk(urls[label], args.duration, args.concurrency))
    return samples


def compare_trees(base_env, trees, factor, modes, args):
    """Every endpoint served by each tree at once, on one database with N = `factor`, measured in turns.

    `trees` is {label: root}; the database is prepared by this tree's code ("after": the change
    under test brings any new migration; the other tree is checked for ones it lacks). Returns {mode: {endpoint: {label: samples, or None when
    that tree answers 404}}} and {label: queries per endpoint}."""
    url = base_env["DATABASE_URL"]
    envs = {
        label: {
            **base_env,
            "DATABASE_URL": f"{url}_compare",
            "STATIC_ROOT": str(Path(root) / "staticfiles"),
            "CACHE_KEY_PREFIX": f"compare-{label}",
        }
        for label, root in trees.items()
    }
    prepare_database(envs["after"], factor)
    prepare_tree(envs["before"], trees["before"])
    queries = {label: count_queries(envs[label], trees[label]) for label in trees}
    out = {}
    for mode in modes:
        ports = {label: free_port() for label in trees}
        servers = {}
        try:
            for label, root in trees.items():
                servers[label] = start_server(mode_env(envs[label], mode), ports[label], args.workers, root)
            out[mode] = {}
            for name, path in ENDPOINTS:
                served = {label: http_status(port, path) != 404 for label, port in ports.items()}
                urls = {label: f"http://127.0.0.1:{ports[label]}{path}" for label in trees if served[label]}
                samples = measure_in_turns(urls, args)
                out[mode][name] = {label: samples.get(label) for label in trees}
                turns = {label: " ".join(f"{s[0]:.0f}" for s in samples[label]) for label in samples}
                shown = "  ".join(f"{label}: {turns.get(label, '404')}" for label in trees)
                print(f"compare N={factor:<3} {mode:<8} {name:<26} req/s by turn  {shown}", flush=True)
        finally:
            for server in servers.values():
                stop_server(server)
    return out, queries


def comparison_table(rows, queries):
    """Markdown rows of a comparison: the medians before and after and their ratio after/before."""
    lines = [
        "| endpoint | req/s before | req/s after | after/before | p50 ms before | p50 ms after | after/before "
        "| p99 ms before | p99 ms after | after/before | turns after fewer req/s | queries before → after | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for endpoint, samples in rows.items():
        before, after = samples["before"], samples["after"]
        name = endpoint
        counted = {label: queries[label][endpoint] for label in ("before", "after") if samples[label]}
        counts = " → ".join(str(counted[label][0]) if label in counted else "–" for label in ("before", "after"))
        if counted and {status for _, status, _ in counted.values()} != {200}:
            name += f" (HTTP {' → '.join(str(status) for _, status, _ in counted.values())})"
        if not before or not after:
            missing = " and ".join(label for label in ("before", "after") if not samples[label])
            lines.append(f"| {name} (404 {missing}) | | | | | | | | | | | {counts} | |")
            continue
        cells = []
        for index in range(3):  # req/s, p50, p99
            b, a = (statistics.median(s[index] for s in turns) for turns in (before, after))
            precision = 0 if index == 0 else 2
            cells.append(f"{b:.{precision}f} | {a:.{precision}f} | {a / b:.2f}")
        fewer = sum(1 for b, a in zip(before, after, strict=True) if a[0] < b[0])
        errors = sum(s[3] for s in before + after)
        lines.append(f"| {name} | {' | '.join(cells)} | {fewer}/{len(after)} | {counts} | {errors} |")
    return lines


def compare_summary(rows):
    """The lowest and highest ratio of req/s after/before, over the endpoints both trees serve."""
    ratios = sorted(
        (statistics.median(s[0] for s in r["after"]) / statistics.median(s[0] for s in r["before"]), name)
        for name, r in rows.items()
        if r["before"] and r["after"]
    )
    if not ratios:
        return "no endpoint is served by both trees"
    middle = statistics.median(ratio for ratio, _ in ratios)
    return (
        f"req/s after/before over {len(ratios)} endpoints: lowest {ratios[0][0]:.2f} ({ratios[0][1]}), "
        f"median {middle:.2f}, highest {ratios[-1][0]:.2f} ({ratios[-1][1]})"
    )


def compare_main(base_env, args):
    """--compare: the tree at a git ref ("before") against this working tree ("after")."""
    factors = [int(f) for f in args.factors.split(",")]
    modes = args.modes.split(",")
    before = checkout_tree(args.compare)
    trees = {"before": before, "after": ROOT}
    try:
        names = {label: describe_tree(root) for label, root in trees.items()}
        results = {factor: compare_trees(base_env, trees, factor, modes, args) for factor in factors}
    finally:
        remove_tree(before)
    print()
    print(
        f"Machine: {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()}"
    )
    print(
        f"before: {args.compare} ({names['before']}); after: {ROOT} ({names['after']}); wrk concurrency "
        f"{args.concurrency}, {args.repeats} turns of {args.duration} s per endpoint and tree, gunicorn "
        f"{args.workers} sync workers each, PostgreSQL"
    )
    for factor, (out, queries) in results.items():
        for mode, rows in out.items():
            print()
            print(f"### Before against after: N = {factor}, cache {MODE_NAMES[mode]}, medians of {args.repeats} turns")
            print()
            for line in comparison_table(rows, queries):
                print(line)
            print()
            print(f"- {compare_summary(rows)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--duration", type=int, default=5, help="seconds per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument(
        "--modes", help="comma-separated: cached, uncached (default: both; uncached alone with --compare)"
    )
    parser.add_argument(
        "--paired",
        action="store_true",
        help="only the paginated endpoints' growth: the smallest and largest N served at once, measured in turns",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="turns per endpoint and N (or tree) with --paired, --compare"
    )
    parser.add_argument(
        "--compare",
        metavar="GIT_REF",
        help="every endpoint served by the tree at GIT_REF and by this tree at once, measured in turns",
    )
    args = parser.parse_args()
    if args.modes is None:
        args.modes = "uncached" if args.compare else "cached,uncached"
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    base_env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casco_bench"),
        "API_ANON_RATE": "",  # the benchmark is one client: no throttling
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "LOG_LEVEL": "ERROR",
    }
    if args.compare:
        compare_main(base_env, args)
        return
    if args.paired:
        factors = sorted(int(f) for f in args.factors.split(","))
        modes = args.modes.split(",")
        growth = paired_growth(base_env, factors, modes, args)
        print()
        print(f"### Paginated endpoints, paired: median p50 at N = {factors[-1]} against N = {factors[0]}")
        print()
        for mode in modes:
            worst = []
            for name, (low, high) in growth[mode].items():
                ratio = statistics.median(high) / statistics.median(low)
                worst.append((ratio, name))
                print(
                    f"- {mode}: {name}: {statistics.median(low):.2f} ms -> {statistics.median(high):.2f} ms "
                    f"({ratio:.2f}x; {args.repeats} turns each)"
                )
            over = [f"{name} {ratio:.2f}x" for ratio, name in sorted(worst, reverse=True) if ratio > GROWTH_TARGET]
            print(
                f"- cache {MODE_NAMES[mode]}: within {GROWTH_TARGET}x: {'met' if not over else 'NOT met: ' + ', '.join(over)}; "
                f"highest {max(worst)[0]:.2f}x ({max(worst)[1]})"
            )
        return
    results = {}  # (factor, mode) -> {endpoint: (rps, p50, p99, errors, queries)}
    for factor in [int(f) for f in args.factors.split(",")]:
        prepare_database(base_env, factor)
        queries = count_queries(base_env)
        for mode in args.modes.split(","):
            env = mode_env(base_env, mode)
            port = free_port()
            server = start_server(env, port, args.workers)
            try:
                rows = {}
                # The trivial view is measured first and again last; the ratios use the mean, so a
                # machine that slows down during the run does not flatter or punish the endpoints.
                for name, path in [*ENDPOINTS, (f"{TRIVIAL} (again)", "/_ping")]:
                    url = f"http://127.0.0.1:{port}{path}"
                    wrk(url, 1, args.concurrency)  # warm-up
                    rps, p50, p99, errors = wrk(url, args.duration, args.concurrency)
                    rows[name] = (rps, p50, p99, errors, queries.get(name, queries[TRIVIAL]))
                    print(
                        f"N={factor:<3} {mode:<8} {name:<26} {rps:9.1f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  errors {errors}",
                        flush=True,
                    )
                results[(factor, mode)] = rows
            finally:
                stop_server(server)

    print()
    print(
        f"Machine: {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()}"
    )
    print(
        f"wrk: concurrency {args.concurrency}, {args.duration} s per endpoint, gunicorn {args.workers} sync workers, PostgreSQL, Redis for cached runs"
    )
    for (factor, mode), rows in results.items():
        trivial = (rows[TRIVIAL][0] + rows[f"{TRIVIAL} (again)"][0]) / 2
        print()
        print(f"### N = {factor}, cache {'on' if mode == 'cached' else 'off'}")
        print()
        print("| endpoint | req/s | p50 ms | p99 ms | errors | queries/request | KiB | ratio to trivial |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, (rps, p50, p99, errors, (queries, status, size)) in rows.items():
            note = "" if status == 200 else f" (HTTP {status})"
            print(
                f"| {name}{note} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {errors} | {queries} | {size / 1024:.1f} "
                f"| {rps / trivial:.2f} |"
            )
    factors = sorted({f for f, _ in results})
    if len(factors) > 1:
        print()
        print(f"### Paginated endpoints: p50 at N = {factors[-1]} against N = {factors[0]}")
        print()
        for mode in args.modes.split(","):
            for name in sorted(PAGINATED):
                low, high = results[(factors[0], mode)][name], results[(factors[-1], mode)][name]
                print(
                    f"- {mode}: {name}: {low[1]:.2f} ms -> {high[1]:.2f} ms ({high[1] / low[1]:.2f}x; "
                    f"page {low[4][2] / 1024:.1f} KiB -> {high[4][2] / 1024:.1f} KiB)"
                )
    print()
    print("### Against the targets")
    print()
    for line in verdicts(results, factors, args.modes.split(",")):
        print(f"- {line}")


def verdicts(results, factors, modes):
    """One line per target of issue 6: met or not, with the figures that decide it."""
    lines = []
    for mode in modes:
        floor = RATIO_TARGETS[mode]
        ratios, p99s = [], []
        for factor in factors:
            rows = results[(factor, mode)]
            trivial = (rows[TRIVIAL][0] + rows[f"{TRIVIAL} (again)"][0]) / 2
            for name, (rps, _p50, p99, _errors, _queries) in rows.items():
                if name.startswith(REFERENCE):
                    continue
                if not name.startswith(TRIVIAL):
                    ratios.append((rps / trivial, f"{name} at N = {factor}"))
                p99s.append((p99, f"{name} at N = {factor}"))
        worst_ratio = min(ratios)
        below = sum(1 for ratio, _ in ratios if ratio < floor)
        lines.append(
            f"cache {MODE_NAMES[mode]}: every endpoint >= {floor} of the trivial view: "
            f"{'met' if not below else f'NOT met ({below} of {len(ratios)} below)'}; "
            f"lowest {worst_ratio[0]:.2f} ({worst_ratio[1]})"
        )
        worst_p99 = max(p99s)
        over = sum(1 for p99, _ in p99s if p99 >= P99_TARGET_MS)
        lines.append(
            f"cache {MODE_NAMES[mode]}: p99 < {P99_TARGET_MS} ms: "
            f"{'met' if not over else f'NOT met ({over} of {len(p99s)} at or over)'}; "
            f"highest {worst_p99[0]:.1f} ms ({worst_p99[1]})"
        )
        if len(factors) > 1:
            growth = []
            for name in sorted(PAGINATED):
                low, high = results[(factors[0], mode)][name], results[(factors[-1], mode)][name]
                growth.append((high[1] / low[1], name))
            over = [f"{name} {ratio:.2f}x" for ratio, name in growth if ratio > GROWTH_TARGET]
            lines.append(
                f"cache {MODE_NAMES[mode]}: paginated p50 at N = {factors[-1]} within {GROWTH_TARGET}x of N = {factors[0]}: "
                f"{'met' if not over else 'NOT met: ' + ', '.join(over)}; highest {max(growth)[0]:.2f}x ({max(growth)[1]})"
            )
    errors = sum(row[3] for rows in results.values() for row in rows.values())
    lines.append(f"zero errors: {'met' if not errors else f'NOT met ({errors} errors)'}")
    return lines


if __name__ == "__main__":
    main()
