"""casco_portal/gunicorn.conf.py: what each worker does once the app is loaded."""

import gc
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "casco_portal" / "gunicorn.conf.py"


def test_workers_freeze_what_loading_the_app_allocated():
    config = runpy.run_path(str(CONFIG))
    assert gc.get_freeze_count() == 0
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 10_000  # the loaded app's objects, out of the collector's passes
        assert gc.isenabled()  # new garbage is still collected
    finally:
        gc.unfreeze()


def test_production_worker_settings():
    config = runpy.run_path(str(CONFIG))
    assert config["worker_class"] == "casco_portal.gunicorn_worker.SyncWorker"
    assert config["preload_app"] is False  # each worker opens its own database and Redis sockets
    assert config["max_requests"] >= 100_000
