"""gunicorn's sync worker, except that a connection which has sent nothing yet never holds it up.

The stock sync worker accepts a connection and then blocks reading the request. A client that
connects and stays silent (a load balancer opening spare connections, a browser's preconnect, a
slow-loris) keeps it blocked: on SIGTERM the worker cannot notice the stop, and the master waits the
whole ``graceful_timeout`` before killing it; in normal running it blocks until the master kills it
as timed out. This worker first waits for the request's first bytes, watching for a stop meanwhile:

- bytes arrive: the request is read and answered as before, even if a stop comes in the meantime
  (an in-flight request always finishes, within ``graceful_timeout``);
- the worker is told to stop before any byte arrived: the connection is closed at once (the client
  sent no request, so none is lost) and the worker exits;
- nothing arrives within ``timeout`` seconds: the connection is closed and the worker serves others.

Selected in casco_portal/gunicorn.conf.py when GUNICORN_THREADS is 1 (gthread, used for more
threads, already waits for the first bytes without holding a thread).
"""

import os
import select
import time

from gunicorn import util
from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

POLL_SECONDS = 1.0  # how often the heartbeat is refreshed while waiting for a request's first bytes


class SyncWorker(GunicornSyncWorker):
    def accept(self, listener):
        client, addr = listener.accept()
        client.setblocking(1)
        util.close_on_exec(client)
        if self.request_arrives(client):
            self.handle(listener, client, addr)
        else:
            util.close(client)

    def request_arrives(self, client):
        """Wait until ``client`` has sent something (True), or the worker stops or ``timeout``
        passes first (False). Signals wake the wait through gunicorn's wake-up pipe."""
        deadline = time.monotonic() + (self.cfg.timeout or 30)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.log.debug("Closing a connection that sent no request within the timeout")
                return False
            readable, _, _ = select.select([client, self.PIPE[0]], [], [], min(POLL_SECONDS, remaining))
            if client in readable:
                return True
            if self.PIPE[0] in readable:
                os.read(self.PIPE[0], 1)
            if not self.alive:
                self.log.debug("Stopping: closing a connection that has sent no request")
                return False
            self.notify()
