"""Settings for CASCO Portal.

Every setting that differs between a developer's machine and production comes from the
environment (see `.env.example`). The defaults are safe for development: an embedded SQLite
database, DEBUG on, a throw-away secret key. With DEBUG off a SECRET_KEY must be given.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

# Every variable is read through these (casco_portal/config.py): a number that is not one, or a weak
# production SECRET_KEY, stops the start with one line naming the variable.
from casco_portal.config import ConfigurationError, check_secret_key, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG:
    check_secret_key(SECRET_KEY)

# How many proxies in front of the portal append the address they saw to X-Forwarded-For (0: none,
# the header is ignored). See the lockout settings below and README "Deploying".
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The portal's own domain name (with a port if not the default one), whatever host name a request
# used: the iCalendar feed's UIDs are made from it (so a calendar subscribed through two names
# sees one event per meeting) and the sitemap's addresses point at it. Set it in production.
SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "localhost:8000").strip().rstrip("/")
# A refused form gets the portal's own 403 page (Django's styles itself inline, which the CSP blocks).
CSRF_FAILURE_VIEW = "casco_portal.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # its sitemap.xml template; no models (SITE_DOMAIN, not the Sites framework)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "api_tokens",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    # The project package is an app too: it owns the data-version row (casco_portal/models.py)
    # and the site-wide pages. core is what every app shares; sources is the importer.
    "casco_portal",
    "core",
    "committees",
    "liaisons",
    "meetings",
    "sources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache (which keeps identity bodies) and everything that sets cookies: gzips
    # public reads only, never a response that may hold a secret (casco_portal/compression.py).
    "casco_portal.compression.SafeGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casco_portal.cache.PublicCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
if os.environ.get("DATABASE_REPLICA_URL"):
    # Outermost: tells the read-replica router about the whole request.
    MIDDLEWARE.insert(0, "casco_portal.db_router.ReplicaRoutingMiddleware")

ROOT_URLCONF = "casco_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "casco_portal.wsgi.application"

# Database: an embedded SQLite file by default; DATABASE_URL (e.g.
# postgres://postgres@127.0.0.1:5432/casco) selects PostgreSQL, the production database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable primary must not hold requests (and /healthz) for the OS's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
# Every request is one transaction: a write that fails halfway (admin save with inlines, an API
# write touching several rows) leaves nothing behind.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Optional read replica (a PostgreSQL streaming standby of the primary): anonymous reads go to it,
# everything else to the primary (casco_portal/db_router.py says exactly when). For at least
# REPLICA_PIN_SECONDS after a write, reads go to the primary, so keep the replica's lag below it.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable replica must not hang requests: they fall back to the primary.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Tests use the replica alias as a second connection to the test database, not a second one.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["casco_portal.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# After a login with no `next` (the API's session login, /api/v1/auth/login/), the API root; Django's
# default, /accounts/profile/, is not a page of the portal.
LOGIN_REDIRECT_URL = "/api/v1/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# The pages the importer reads by default (copies of the published pages, kept in the project).
SOURCE_PAGES_DIR = BASE_DIR / "fixtures" / "sources"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api_tokens.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every API list: the view's FilterSet (filterset_class), then ?search= by the search definition
    # of the list's model (core/search.py, each app's search.py).
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.filters.SearchBackend",
    ],
    # Anonymous API clients are throttled (429 with Retry-After); API_ANON_RATE="" turns it off.
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute") or None},
    # DRF's own reading of X-Forwarded-For, for any throttle that does not key on
    # core.security.client_ip (the portal's all do): the same trust as everywhere else.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

# API tokens (api_tokens/) are stored hashed and expire this many days after they are issued,
# unless `create_api_token --days` says otherwise.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 90, minimum=1)
if API_TOKEN_TTL_DAYS > 3650:
    raise ConfigurationError(f"API_TOKEN_TTL_DAYS must be at most 3650 (ten years), not {API_TOKEN_TTL_DAYS}.")

SPECTACULAR_SETTINGS = {
    "TITLE": "CASCO Portal API",
    "DESCRIPTION": (
        "The organisation of ISO/CASCO, the ISO committee on conformity assessment: its committees, "
        "groups, liaisons, organizations in liaison, meetings and standards.\n\n"
        "Reading needs no credentials (a token or a session is accepted but changes nothing); writing "
        "needs a token (`Authorization: Token …`) or a session of a user with the model permission.\n\n"
        "**Data and licence.** The records come from ISO's public pages (the ISO/CASCO committee page "
        "and the announcement of the 2019 plenary), imported by the portal and kept up by its secretariat. "
        "The portal's compilation of them is offered under the Creative Commons Attribution 4.0 licence "
        "(CC BY 4.0): cite “CASCO Portal, from ISO's public pages”. This is not an official ISO site; "
        "ISO's own pages are authoritative and ISO's texts remain ISO's."
    ),
    "VERSION": "1.0.0",
    "CONTACT": {
        key: value
        for key, value in {
            "name": os.environ.get("API_CONTACT_NAME", "CASCO Portal secretariat"),
            "email": os.environ.get("API_CONTACT_EMAIL", ""),
            "url": os.environ.get("API_CONTACT_URL", ""),
        }.items()
        if value
    },
    "LICENSE": {
        "name": "CC BY 4.0 (the compilation; the records come from ISO's public pages)",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    # Relative: the server that serves the schema (paths begin with /api/v1/).
    "SERVERS": [{"url": "/", "description": "The portal serving this schema."}],
    # One tag per resource (drf-spectacular tags each operation with its path's first segment).
    "TAGS": [
        {"name": "committees", "description": "ISO, IEC and ISO/IEC committees: ISO/CASCO, its liaisons, parents."},
        {"name": "groups", "description": "Working groups, joint groups, task forces and other groups."},
        {"name": "committee-liaisons", "description": "ISO/CASCO's liaisons with other committees, by direction."},
        {"name": "organizations", "description": "Organizations outside ISO in liaison with the committees."},
        {"name": "organization-liaisons", "description": "An organization's liaison with a committee (A, B, C)."},
        {"name": "meetings", "description": "Plenaries, workshops and other meetings."},
        {"name": "standards", "description": "Standards and technical specifications the groups work on."},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_schema",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CommitteeKindEnum": "committees.models.CommitteeKind",
        "GroupKindEnum": "committees.models.GroupKind",
        "MeetingKindEnum": "meetings.models.MeetingKind",
    },
}

# Cache: Redis when REDIS_URL is set (shared by every app server), local memory otherwise.
# Redis may fail at any time: the backend then answers as an empty cache, logs it and counts it
# (casco_portal/redis_cache.py). Short socket timeouts bound what a hanging Redis costs a request;
# after a failure a process leaves Redis alone for CACHE_RETRY_SECONDS.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_RETRY_SECONDS = 2
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "casco_portal.redis_cache.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "casco"),
            "TIMEOUT": 300,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "casco"}}
# Anonymous reads of pages and the API are cached this long (0 turns the cache off); every
# write invalidates them at once (casco_portal/cache.py).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

# Sessions live in the database, so any app server can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Production: HTTPS everywhere (TLS ends at the load balancer, which sets X-Forwarded-Proto).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every response: only the portal's own files, no inline
# script or style anywhere (no 'unsafe-inline'), no framing. The pages, the admin and the API docs
# (Swagger UI from drf-spectacular-sidecar; ReDoc cannot, so it is gone) run under it; tests/browser/test_csp.py
# proves it in Chromium. Swagger UI's CSS uses data: images, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# client address, that username cannot log in from that address (admin or API session login) for
# AXES_COOLOFF_TIME, whatever the password; its owner elsewhere still can, so nobody can lock the
# secretariat out by guessing their passwords. One address is locked for every username after
# AXES_IP_FAILURE_LIMIT wrong passwords for any usernames (core/security.py,
# LoginLockoutHandler). The answer is the lockout page with status 429. `manage.py
# axes_reset_username <name>` / `axes_reset_ip <ip>` (or `axes_reset`, everything) lifts it.
# Behind the load balancer and nginx set TRUSTED_PROXY_COUNT to the number of proxies appending to
# X-Forwarded-For (2 with deploy/nginx/casco-portal.conf behind a balancer that appends, 1 when
# nginx is the only one), so the client's address is read from it, not the proxy's: throttling,
# lockout and logs all read it through core.security.client_ip.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "core.security.LoginLockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_RESET_ON_SUCCESS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "casco_portal.logs.JsonFormatter"},
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
