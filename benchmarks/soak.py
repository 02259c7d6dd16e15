"""Soak test: a bounded mixed load against the production server on PostgreSQL (loopback only).

Readers browse pages and the API, secretariat writers change group titles and create and delete
standards through the API with a token, and a hostile client sends bad requests. Contenders edit
the *same* records at once: API contenders read a standard and PATCH its title with If-Match,
admin contenders open its change form (inline rows included) and save a new title. Afterwards it
checks: zero 5xx, every acknowledged write is in the database (and every acknowledged delete is
gone), no lost update among the contenders (every accepted write is the final value or was
overwritten by a later accepted write made by someone who had seen it; the conflicts detected,
412 or "changed by someone else", are counted), bad requests all got 4xx, the app processes'
memory stayed steady, and SIGTERM stopped the server within 15 s with exit status 0.

    .venv/bin/python benchmarks/soak.py                 # 120 s
    .venv/bin/python benchmarks/soak.py --seconds 30

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/casco_soak — dropped and
re-created) and Redis (REDIS_URL, default redis://127.0.0.1:6379/13). Exits 1 if a check fails.
"""

import argparse
import html.parser
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_LIMIT_SECONDS = 15  # a graceful stop (SIGTERM) must end the server within this
PYTHON = sys.executable
READ_PATHS = [
    "/",
    "/structure/",
    "/groups/",
    "/groups/?type=working_group",
    "/liaisons/?direction=both",
    "/organizations/",
    "/committees/iso-tc-207/",
    "/meetings/",
    "/meetings/calendar.ics",
    "/search/?q=conformity",
    "/api/v1/groups/",
    "/api/v1/committee-liaisons/?direction=incoming",
    "/api/v1/organizations/?category=A",
    "/api/v1/committees/iso-tc-207-sc-2/",
]
WRITABLE_GROUPS = [
    "iso-casco-wg-30",
    "iso-casco-wg-31",
    "iso-casco-wg-61",
    "iso-casco-wg-64",
    "iso-casco-wg-65",
    "iso-casco-ahg",
    "iso-casco-sttf",
    "iso-casco-tig",
]
BAD_REQUESTS = [
    ("GET", "/groups/../../etc/passwd", None, None),
    ("GET", "/api/v1/groups/?page=-1", None, None),
    ("GET", "/api/v1/groups/?page_size=100000000", None, None),
    ("GET", "/api/v1/committee-liaisons/?direction=sideways", None, None),
    ("GET", "/api/v1/organizations/?category=Z", None, None),
    ("GET", "/committees/no-such-committee/", None, None),
    ("POST", "/api/v1/standards/", b"{not json", "token"),
    ("POST", "/api/v1/standards/", json.dumps({"reference": "not a reference"}).encode(), "token"),
    ("POST", "/api/v1/standards/", json.dumps({"reference": "ISO 1", "title": "x"}).encode(), None),
    ("PATCH", "/api/v1/groups/iso-casco-wg-30/", json.dumps({"title": ""}).encode(), "token"),
    ("DELETE", "/api/v1/groups/iso-casco-wg-30/", None, None),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env):
    import psycopg2

    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[-1]
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "setup_portal"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    script = (
        "from django.contrib.auth.models import Group, User;"
        "from api_tokens.services import api_token_create;"
        "user = User.objects.create_user('soak-secretary', password=None, is_staff=True);"
        "user.groups.add(Group.objects.get(name='Secretariat'));"
        "print(api_token_create(user=user, name='soak')[1])"
    )
    out = subprocess.run(
        [*manage, "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def admin_sessions(env, count):
    """Logged-in admin sessions (session keys) for ``count`` secretariat editors, made as Django's
    test client's force_login makes them: the soak measures editing, not the login form."""
    script = (
        "from importlib import import_module; from django.conf import settings;"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from django.contrib.auth.models import Group, User;"
        f"users = [User.objects.create_user(f'soak-editor-{{i}}', password=None, is_staff=True) for i in range({count})];"
        "[user.groups.add(Group.objects.get(name='Secretariat')) for user in users];"
        "engine = import_module(settings.SESSION_ENGINE);"
        "backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith('ModelBackend'));"
        "stores = [engine.SessionStore() for _ in users];"
        "[store.update({SESSION_KEY: str(u.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: u.get_session_auth_hash()}) for store, u in zip(stores, users)];"
        "[store.create() for store in stores];"
        "print(' '.join(store.session_key for store in stores))"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1].split()


def rss_kib(pid):
    """Resident memory of a gunicorn master and its workers, in KiB."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()
        pids += [int(p) for p in children]
    except FileNotFoundError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total


class Client:
    def __init__(self, base, token):
        self.base, self.token = base, token

    def call(self, method, path, body=None, auth=None):
        headers = {"Accept": "application/json", "X-Forwarded-Proto": "https"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if auth == "token":
            headers["Authorization"] = f"Token {self.token}"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:  # a timeout or a dropped connection: counted, and fails the soak
            return 0, b""


class FormValues(html.parser.HTMLParser):
    """The values an HTML form would send: inputs (checked boxes only), textareas, selected options."""

    def __init__(self):
        super().__init__()
        self.values, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n") if not self.values[self._textarea] else data


def form_values(page):
    parser = FormValues()
    parser.feed(page)
    return parser.values


class AdminSession:
    """One secretariat editor in the admin: a session cookie, the CSRF cookie, forms as a browser sends them."""

    def __init__(self, base, session_key):
        self.base, self.cookies = base, {"sessionid": session_key}

    def call(self, method, path, fields=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"https://{self.base.removeprefix('http://')}{path}",
        }
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                status, content, set_cookies = response.status, response.read(), response.headers.get_all("Set-Cookie")
        except urllib.error.HTTPError as error:
            status, content, set_cookies = error.code, error.read(), error.headers.get_all("Set-Cookie")
        except OSError:
            return 0, ""
        for cookie in set_cookies or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, content.decode("utf-8", "replace")


def lost_updates(initial, final, accepted):
    """Accepted writes (value, value it was made over) that were lost: not the final value and not
    the base of a later accepted write. Values are unique per write, so following the bases back
    from the final value walks every write that was overwritten knowingly."""
    base_of = dict(accepted)
    kept, value = set(), final
    while value in base_of and value not in kept:
        kept.add(value)
        value = base_of[value]
    reached_start = value == initial or not accepted
    return [value for value, _ in accepted if value not in kept], reached_start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--api-contenders", type=int, default=2, help="API writers editing the same standards")
    parser.add_argument("--admin-contenders", type=int, default=2, help="admin editors of the same standards")
    parser.add_argument(
        "--without-checks",
        action="store_true",
        help="contenders send no If-Match and no form version (shows that lost updates are detected: expect FAIL)",
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casco_soak"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        "PUBLIC_CACHE_SECONDS": "300",
        "API_ANON_RATE": "",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
    }
    subprocess.run(["redis-cli", "-n", "13", "FLUSHDB"], check=False, capture_output=True)
    token = prepare(env)
    sessions = admin_sessions(env, args.admin_contenders)
    port = free_port()
    # gunicorn's log goes to a file: an unread pipe fills after ~64 KiB (every 4xx is a log line), and
    # then the workers and the master block writing to it, requests hang and SIGTERM never completes.
    server_log = tempfile.NamedTemporaryFile(prefix="soak-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "casco_portal/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "casco_portal.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=server_log, start_new_session=True,
    )  # fmt: skip
    client = Client(f"http://127.0.0.1:{port}", token)
    for _ in range(150):
        if client.call("GET", "/healthz")[0] == 200:
            break
        time.sleep(0.2)
    else:
        raise SystemExit("the server did not start")

    stop = time.time() + args.seconds
    statuses = Counter()
    lock = threading.Lock()
    acknowledged_titles = {}  # group slug -> last title a 200 acknowledged
    created, deleted = set(), set()
    bad_outcomes = Counter()
    memory = []

    def record(kind, status):
        with lock:
            statuses[(kind, status // 100)] += 1

    def reader(seed):
        rng = random.Random(seed)
        while time.time() < stop:
            record("read", client.call("GET", rng.choice(READ_PATHS))[0])

    def writer(index):
        rng = random.Random(1000 + index)
        mine = WRITABLE_GROUPS[index :: args.writers]
        serial = 0
        while time.time() < stop:
            serial += 1
            slug = rng.choice(mine)
            title = f"Soak title {index}-{serial}"
            status, _ = client.call("PATCH", f"/api/v1/groups/{slug}/", json.dumps({"title": title}).encode(), "token")
            record("write", status)
            if status == 200:
                with lock:
                    acknowledged_titles[slug] = title
            reference = f"ISO {900000 + index * 100000 + serial}"
            body = json.dumps({"reference": reference, "title": f"Soak standard {serial}"}).encode()
            status, _ = client.call("POST", "/api/v1/standards/", body, "token")
            record("write", status)
            if status == 201:
                with lock:
                    created.add(reference)
                if serial % 3 == 0:
                    slug = reference.lower().replace(" ", "-")
                    status, _ = client.call("DELETE", f"/api/v1/standards/{slug}/", None, "token")
                    record("write", status)
                    if status == 204:
                        with lock:
                            deleted.add(reference)

    # Contenders: the same two standards, edited through the API (If-Match) and the admin at once.
    contested = {}
    for item in json.loads(client.call("GET", "/api/v1/standards/?page_size=2")[1])["results"]:
        contested[item["slug"]] = {"id": item["id"], "initial": item["title"], "accepted": []}
    conflicts = Counter()

    def api_contender(index):
        rng = random.Random(2000 + index)
        serial = 0
        while time.time() < stop:
            serial += 1
            slug = rng.choice(list(contested))
            url = f"/api/v1/standards/{slug}/"
            request = urllib.request.Request(
                client.base + url, headers={"Accept": "application/json", "X-Forwarded-Proto": "https"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    seen, tag = json.loads(response.read())["title"], response.headers["ETag"]
            except OSError:
                record("contend", 0)
                continue
            time.sleep(rng.uniform(0, 0.05))  # think, as a client would, widening the race
            title = f"API {index}-{serial}"
            status, _ = client_if_match(url, {"title": title}, tag)
            record("contend", status)
            with lock:
                if status == 200:
                    contested[slug]["accepted"].append((title, seen))
                elif status == 412:
                    conflicts["API 412"] += 1

    def client_if_match(url, body, tag):
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
            "Authorization": f"Token {token}",
        }
        if not args.without_checks:
            headers["If-Match"] = tag
        request = urllib.request.Request(client.base + url, json.dumps(body).encode(), method="PATCH", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            return 0, b""

    def admin_contender(index):
        rng = random.Random(3000 + index)
        editor = AdminSession(client.base, sessions[index])
        serial = 0
        while time.time() < stop:
            serial += 1
            slug = rng.choice(list(contested))
            path = f"/admin/committees/standard/{contested[slug]['id']}/change/"
            status, page = editor.call("GET", path)
            if status != 200:
                record("contend", status)
                continue
            fields = form_values(page)
            if args.without_checks:
                fields = {name: value for name, value in fields.items() if not name.endswith("loaded_updated_at")}
            seen = fields.get("title", "")
            time.sleep(rng.uniform(0, 0.05))
            title = f"Admin {index}-{serial}"
            status, page = editor.call("POST", path, {**fields, "title": title, "_save": "Save"})
            record("contend", status)
            with lock:
                if status == 302:
                    contested[slug]["accepted"].append((title, seen))
                elif status == 200 and "changed by someone else since you opened it" in page:
                    conflicts["admin stale form"] += 1
                else:
                    conflicts[f"admin other {status}"] += 1

    def hostile(seed):
        rng = random.Random(seed)
        while time.time() < stop:
            method, path, body, auth = rng.choice(BAD_REQUESTS)
            status, _ = client.call(method, path, body, auth)
            record("bad", status)
            with lock:
                bad_outcomes[(method, path.split("?")[0], status)] += 1

    def sampler():
        while time.time() < stop:
            memory.append((time.time(), rss_kib(server.pid)))
            time.sleep(2)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    threads += [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    threads += [threading.Thread(target=api_contender, args=(i,)) for i in range(args.api_contenders)]
    threads += [threading.Thread(target=admin_contender, args=(i,)) for i in range(args.admin_contenders)]
    threads += [threading.Thread(target=hostile, args=(99,)), threading.Thread(target=sampler)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started
    for slug, state in contested.items():
        state["final"] = json.loads(client.call("GET", f"/api/v1/standards/{slug}/")[1])["title"]
    memory.append((time.time(), rss_kib(server.pid)))
    stopping = time.time()
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
        stop_seconds = time.time() - stopping
    except subprocess.TimeoutExpired:
        stop_seconds = None
        os.killpg(server.pid, signal.SIGKILL)

    # No lost update among the contenders (read before the server stops).
    contention = {}
    for slug, state in contested.items():
        final = state.get("final")
        lost, complete = lost_updates(state["initial"], final, state["accepted"])
        contention[slug] = (len(state["accepted"]), lost, complete)

    # Every acknowledged write is in the database.
    check = (
        "import json, sys; from committees.models import Group, Standard;"
        "data = json.loads(sys.stdin.read());"
        "titles = {g.slug: g.title for g in Group.objects.filter(slug__in=list(data['titles']))};"
        "present = set(Standard.objects.filter(reference__in=data['created']).values_list('reference', flat=True));"
        "print(json.dumps({'titles': titles, 'present': sorted(present)}))"
    )
    payload = json.dumps({"titles": acknowledged_titles, "created": sorted(created)})
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", check], cwd=ROOT, env=env, input=payload,
                         capture_output=True, text=True, check=True)  # fmt: skip
    found = json.loads(out.stdout.strip().splitlines()[-1])
    lost_titles = {slug: t for slug, t in acknowledged_titles.items() if found["titles"].get(slug) != t}
    lost_creates = created - deleted - set(found["present"])
    undeleted = deleted & set(found["present"])

    total = sum(statuses.values())
    server_errors = sum(n for (kind, family), n in statuses.items() if family in (0, 5))
    bad_not_4xx = sum(n for (kind, family), n in statuses.items() if kind == "bad" and family != 4)
    first_mem, last_mem = memory[0][1], memory[-1][1]
    peak_mem = max(m for _, m in memory)
    middle = [m for t, m in memory if t > started + elapsed / 2]
    print(
        f"Soak: {elapsed:.0f} s, {args.readers} readers, {args.writers} secretariat writers, 1 hostile client, gunicorn {args.workers} workers, PostgreSQL + Redis"
    )
    print(f"requests: {total} ({total / elapsed:.0f}/s)")
    for (kind, family), n in sorted(statuses.items()):
        print(f"  {kind:<5} {family}xx: {n}")
    print(f"5xx responses or no response (timeout, dropped connection): {server_errors}")
    print(f"bad requests answered with something other than 4xx: {bad_not_4xx}")
    print(f"acknowledged title writes: {len(acknowledged_titles)} groups, lost: {len(lost_titles)}")
    print(
        f"acknowledged creates: {len(created)}, deletes: {len(deleted)}, lost creates: {len(lost_creates)}, deletes not applied: {len(undeleted)}"
    )
    print(f"app memory (RSS, master + workers): start {first_mem / 1024:.1f} MiB, end {last_mem / 1024:.1f} MiB, peak {peak_mem / 1024:.1f} MiB; "
          f"second half range {min(middle) / 1024:.1f}-{max(middle) / 1024:.1f} MiB")  # fmt: skip
    print(
        f"contenders: {args.api_contenders} API + {args.admin_contenders} admin on {len(contested)} standards, "
        f"{'WITHOUT If-Match or form versions' if args.without_checks else 'API with If-Match'}; "
        f"conflicts detected: {dict(sorted(conflicts.items()))}"
    )
    for slug, (accepted, lost, complete) in contention.items():
        print(f"  {slug}: accepted writes {accepted}, lost updates {len(lost)}{'' if complete else ' (chain broken)'}")
    lost_total = sum(len(lost) + (0 if complete else 1) for _, lost, complete in contention.values())
    for (method, path, status), n in sorted(bad_outcomes.items()):
        print(f"  hostile {method} {path} -> {status} x{n}")
    if stop_seconds is None:
        print("stop: the server did not stop within 60 s of SIGTERM; killed")
    else:
        print(f"stop: the server exited {stop_seconds:.1f} s after SIGTERM (exit status {server.returncode})")
    print(f"gunicorn's log: {server_log.name}")
    stop_failed = stop_seconds is None or stop_seconds > STOP_LIMIT_SECONDS or server.returncode != 0
    failed = server_errors or bad_not_4xx or lost_titles or lost_creates or undeleted or stop_failed or lost_total
    print("RESULT:", "FAIL" if failed else "PASS")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
