"""Run as a separate process by tests/casco_portal/test_headers.py, with the environment of production
(DEBUG=false, a long SECRET_KEY, no SECURE_* overrides): the production settings are computed when
casco_portal.settings is imported, so they can only be seen in a fresh interpreter.

It builds a throw-away SQLite database and static root (paths from the environment), sends requests
through Django's test client as the load balancer would forward them (X-Forwarded-Proto: https),
and prints what it saw as JSON on stdout."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casco_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

# As the load balancer forwards a request: the Host header and X-Forwarded-Proto.
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "testserver"}
ORIGIN = {"HTTP_ORIGIN": "https://testserver", "HTTP_REFERER": "https://testserver/admin/"}


def cookie(morsel):
    return {
        "value": bool(morsel.value),
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


def headers(response):
    return {name.lower(): value for name, value in response.headers.items()}


def main():
    call_command("migrate", verbosity=0)
    call_command("loaddata", "casco", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    get_user_model().objects.create_superuser("root", "root@example.org", "a-long-root-password-2024")
    out = {"debug": settings.DEBUG}

    plain = Client(HTTP_HOST="testserver")
    response = plain.get("/groups/")
    out["http_redirect"] = {"status": response.status_code, "location": response.headers.get("Location")}

    client = Client(enforce_csrf_checks=True, **HTTPS)
    for name, path in {
        "home": "/",
        "groups": "/groups/",
        "api": "/api/v1/committees/",
        "docs": "/api/v1/docs/",
    }.items():
        response = client.get(path)
        out[name] = {"status": response.status_code, "headers": headers(response)}

    response = client.get("/admin/login/")
    out["admin_login_page"] = {"status": response.status_code, "headers": headers(response)}
    out["csrf_cookie"] = cookie(response.cookies[settings.CSRF_COOKIE_NAME])
    token = response.cookies[settings.CSRF_COOKIE_NAME].value

    credentials = {"username": "root", "password": "a-long-root-password-2024", "next": "/admin/"}
    response = client.post("/admin/login/", credentials, **ORIGIN)
    out["login_without_token"] = response.status_code
    response = client.post("/admin/login/", {**credentials, "csrfmiddlewaretoken": token}, **ORIGIN)
    out["login_with_token"] = {"status": response.status_code, "location": response.headers.get("Location")}
    out["session_cookie"] = cookie(response.cookies[settings.SESSION_COOKIE_NAME])
    token = client.cookies[settings.CSRF_COOKIE_NAME].value  # rotated at login

    body = json.dumps(
        {"reference": "ISO/TC 999", "title": "Probe committee", "body": "ISO", "kind": "technical_committee"}
    )
    api = "/api/v1/committees/"
    out["api_post_without_token"] = client.post(api, body, content_type="application/json", **ORIGIN).status_code
    response = client.post(api, body, content_type="application/json", HTTP_X_CSRFTOKEN=token, **ORIGIN)
    out["api_post_with_token"] = response.status_code
    slug = response.json().get("slug") if response.status_code == 201 else ""
    # Over HTTPS Django also checks where the write comes from: the right token from a foreign origin fails.
    foreign = {"HTTP_ORIGIN": "https://evil.example", "HTTP_REFERER": "https://evil.example/"}
    out["api_post_foreign_origin"] = client.post(
        api, body, content_type="application/json", HTTP_X_CSRFTOKEN=token, **foreign
    ).status_code
    out["admin_delete_without_token"] = client.post(
        f"/admin/auth/user/{1}/delete/", {"post": "yes"}, **ORIGIN
    ).status_code
    print(json.dumps({**out, "created_slug": slug}))


if __name__ == "__main__":
    main()
