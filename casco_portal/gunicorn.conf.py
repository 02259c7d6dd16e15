"""gunicorn settings for CASCO Portal (override any of them with GUNICORN_CMD_ARGS or flags).

.venv/bin/gunicorn -c casco_portal/gunicorn.conf.py casco_portal.wsgi
"""

import multiprocessing
import os
import sys
from pathlib import Path

# gunicorn reads this file before its --chdir: make the project importable from any directory.
PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
if PROJECT_ROOT not in sys.path:
    sys.path.insert(0, PROJECT_ROOT)

from casco_portal.config import ConfigurationError, env_int, report_and_exit  # noqa: E402

try:
    # Numbers read as the settings read them: a value that is not one stops gunicorn with one line.
    workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1, minimum=1)
    threads = env_int("GUNICORN_THREADS", 1, minimum=1)
    timeout = env_int("GUNICORN_TIMEOUT", 30)
    # Recycle a worker after this many requests, as a guard against a slow leak. The soak shows memory
    # flat (docs/reliability.md), so the guard is set high: a worker reloading the app costs CPU, and
    # a low limit restarted the workers together under load, putting spikes into p99
    # (docs/benchmarks.md, "Figures behind the code"). 0 turns recycling off.
    max_requests = env_int("GUNICORN_MAX_REQUESTS", 100000)
except ConfigurationError as error:
    report_and_exit(error)

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One thread: gunicorn's sync worker, made to drop connections that have sent nothing when it is told
# to stop (casco_portal/gunicorn_worker.py), so SIGTERM ends the server in about a second while
# every request already being read or answered still finishes (within graceful_timeout).
worker_class = "casco_portal.gunicorn_worker.SyncWorker" if threads == 1 else "gthread"
graceful_timeout = 20  # the longest a stop waits for requests in flight before killing their workers
keepalive = 5
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", None)  # "-" for stdout
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Each worker loads the app itself: no database or Redis socket is ever shared across a fork.
preload_app = False
# No control socket (gunicorn 25+ starts one by default, for gunicornc): the portal does not use it,
# every server on a machine would share the one default path ($HOME/.gunicorn/gunicorn.ctl), and a
# stop waits up to 2 s for its thread to end.
control_socket_disable = True


def post_worker_init(worker):
    """Move everything the worker allocated loading the app (Django, the URLconf, the models; a
    few hundred thousand objects) out of reach of the garbage collector: they live as long as the
    worker. Otherwise the collector's full passes keep walking them while the heap grows in the
    first seconds of a worker's life, pauses that show in the p99 of the first requests a worker
    serves (docs/benchmarks.md, "Figures behind the code")."""
    import gc

    gc.collect()
    gc.freeze()
