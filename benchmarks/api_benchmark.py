"""Benchmark (not a test): latency and throughput of the REST API beside a trivial Django JSON view.

Starts gunicorn on a loopback port with DEBUG off, the real data plus (by default) nine times its
volume of synthetic records in a throw-away SQLite database (or DATABASE_URL's), anonymous
throttling and the public response cache off so the API itself is measured, then for each URL
sends requests from several client threads and prints a table: median and 95th-percentile
latency, requests per second, and the ratio to the trivial view (/api/v1/_ping/, no database,
no DRF) on the same server. The server runs with ``benchmarks.settings``, which mounts that view
(``benchmarks/urls.py``) beside the portal's URLs.

    .venv/bin/python benchmarks/api_benchmark.py [--requests 100] [--concurrency 4] [--workers 2]
"""

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

URLS = [
    ("trivial Django JSON view", "/api/v1/_ping/"),
    ("committees list (50)", "/api/v1/committees/"),
    ("committees list (200)", "/api/v1/committees/?page_size=200"),
    ("committee detail", "/api/v1/committees/iso-tc-207/"),
    ("groups list (50)", "/api/v1/groups/"),
    ("group detail", "/api/v1/groups/iso-casco-jwg-58/"),
    ("liaisons ?direction=both", "/api/v1/committee-liaisons/?direction=both"),
    ("organizations ?category=A", "/api/v1/organizations/?category=A"),
    ("organization detail", "/api/v1/organizations/iaf/"),
    ("meetings list", "/api/v1/meetings/"),
    ("committees CSV (50)", "/api/v1/committees/?format=csv"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env, factor):
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "loaddata", "casco", "-v", "0"], cwd=ROOT, env=env, check=True)
    if factor:
        code = f"from sources.synthetic import synthetic_data_create; synthetic_data_create(factor={factor})"
        subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def wait_until_up(base, process):
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            urllib.request.urlopen(f"{base}/api/v1/_ping/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def measure(url, total, concurrency):
    latencies, errors = [], []
    lock = threading.Lock()
    per_thread = total // concurrency

    def worker():
        local = []
        for _ in range(per_thread):
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    if response.status != 200:
                        errors.append(response.status)
            except OSError as exc:
                errors.append(exc)
            local.append(time.perf_counter() - start)
        with lock:
            latencies.extend(local)

    for _ in range(min(10, total)):  # warm up
        urllib.request.urlopen(url, timeout=30).read()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / elapsed,
        "errors": len(errors),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per URL (default 100)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--factor", type=int, default=9, help="synthetic data, times the real data (default 9)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="casco-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "",  # no throttling: measure the API, not the limiter
        "PUBLIC_CACHE_SECONDS": "0",  # no response cache: measure the API, not the cache
        "STATIC_ROOT": str(tmp / "static"),
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",  # the portal plus the trivial view
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    print(f"Preparing data (real data plus {args.factor}x synthetic) in {env['DATABASE_URL']} …", flush=True)
    prepare(env, args.factor)
    gunicorn = Path(PYTHON).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "casco_portal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        rows = [(label, path, measure(base + path, args.requests, args.concurrency)) for label, path in URLS]
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)

    baseline = rows[0][2]
    print(
        f"\ngunicorn {args.workers} workers, {args.concurrency} client threads, {args.requests} requests per URL, "
        f"DEBUG off, database {env['DATABASE_URL'].split(':', 1)[0]}\n"
    )
    header = f"{'endpoint':<28} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'× ping latency':>15} {'ping/API req/s':>15} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for label, _path, result in rows:
        print(
            f"{label:<28} {result['median_ms']:>10.2f} {result['p95_ms']:>8.2f} {result['rps']:>8.0f} "
            f"{result['median_ms'] / baseline['median_ms']:>15.1f} {baseline['rps'] / result['rps']:>15.1f} "
            f"{result['errors']:>7}"
        )
    return 1 if any(result["errors"] for _, _, result in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
