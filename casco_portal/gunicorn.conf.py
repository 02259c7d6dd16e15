"""gunicorn settings for CASCO Portal (override any of them with GUNICORN_CMD_ARGS or flags).

.venv/bin/gunicorn -c casco_portal/gunicorn.conf.py casco_portal.wsgi
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))  # recycle workers: memory stays flat
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", None)  # "-" for stdout
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Each worker loads the app itself: no database or Redis socket is ever shared across a fork.
preload_app = False
