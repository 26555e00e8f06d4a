"""Settings for the DIK desk, read from the environment.

Nothing set: development mode, SQLite and local disk under var/. Production sets DEBUG=0,
SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and optionally STORAGE_BACKEND=s3 and a read replica of
the public pages, DATABASE_REPLICA_URL.
"""

import contextlib
import datetime
import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from ppid.storage_config import file_storages, presigned_url_seconds

BASE_DIR = Path(__file__).resolve().parent.parent

# pyHanko (the decree's signature) imports the DSA key class, which cryptography 51 marks as
# deprecated; no key of ours is DSA. Not ours to mend: silenced, not printed at every start.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY wajib diisi saat DEBUG=0 (set variabel lingkungan SECRET_KEY)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS wajib diisi saat DEBUG=0 (nama host situs, dipisah koma)."
    )
# the https origins the site is reached at, e.g. https://ppid.kpu-pinrang.go.id
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # full-text search (SearchVectorField, SearchQuery …); the lookups apply on PostgreSQL only
    "django.contrib.postgres",
    "simple_history",
    "django_filters",
    "axes",
    # ppid before django_tasks_db: its `db_worker` (the library's, plus recovery) is the one run
    "ppid",
    "django_tasks_db",
    "dokumen",
    "persetujuan",
    "publikasi",
    "usulan",
    "impor",
    "retensi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # every page needs login unless its view is marked @login_not_required (public pages)
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ppid.middleware.StaffPagesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # after the login is known: marks an anonymous read of a public page for the replica
    "ppid.db_router.PublicReadsMiddleware",
    # inside the others, so the page it puts in place of Django's gets their headers (CSP)
    "ppid.not_found.SiteNotFoundPageMiddleware",
    # last, as django-axes asks: turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ppid.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ppid.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "ppid.wsgi.application"
ASGI_APPLICATION = "ppid.asgi.application"

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
_CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "0"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=_CONN_MAX_AGE,
    )
}
# a streaming replica of it: serves the reads of the anonymous public pages (ppid/db_router.py);
# in tests the same database (MIRROR)
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=_CONN_MAX_AGE),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["ppid.db_router.PublicReadsRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # no JIT: it compiled plans PostgreSQL guessed expensive for 0.7 s of a 0.9 s staff
        # search at 1M entries (EXPLAIN ANALYZE), where every page reads a few hundred rows
        _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The public pages' cache (the DIK list per version of the DIK in force): with REDIS_URL one
# cache for every gunicorn worker and every app server, so a page rendered by one is served by
# all; without it each process keeps its own (local memory), enough for one server.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dik"),
        }
    }
    # after a change of an office's DIK the worker renders its public rows into the cache the
    # app servers read (publikasi.public_rows.warm_public_rows); a process's own cache would
    # keep them where no page reads them
    PUBLIC_ROWS_BY_WORKER = True
else:
    # each process's own: room for the rendered rows of the public DIK (publikasi.public_rows,
    # ~2 kB each), not Django's default of 300 entries, which a few pages' rows would evict
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    PUBLIC_ROWS_BY_WORKER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # each role to its own first page (ppid.views.home)
LOGOUT_REDIRECT_URL = "publikasi:dik"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ppid.formats"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Files of entries are private: no URL serves them, only the guarded download view (in S3 mode
# it answers with a signed URL valid PRESIGNED_URL_SECONDS). Public files (published Keputusan
# PDFs, the logo) live in a storage of their own. STORAGE_BACKEND: see ppid/storage_config.py.
PRESIGNED_URL_SECONDS = presigned_url_seconds(os.environ)
STORAGES = {
    **file_storages(os.environ, VAR_DIR),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
MEDIA_ROOT = VAR_DIR / "private"
# `manage.py backup` writes a directory per backup here (see ppid/backup.py)
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or VAR_DIR / "backups")

# Uploads stream to a temporary file past 2.5 MB; never held whole in memory. Temporary
# files (of the form upload and the partial tus uploads) stay in a private folder of ours,
# not /tmp, so `manage.py uploads_cleanup` knows what a killed server left behind.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = str(Path(os.environ.get("FILE_UPLOAD_TEMP_DIR") or VAR_DIR / "tmp"))
# a folder that cannot be made is reported by the check framework (files.E001)
with contextlib.suppress(OSError):
    Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DIK_MAX_UPLOAD_BYTES = int(os.environ.get("DIK_MAX_UPLOAD_BYTES", str(1024**3)))

# Django 6.1 mailers: SMTP from the environment; without it (development, the demo) every
# message is written to a file under VAR_DIR/mail/, never printed among the server's lines.
if os.environ.get("EMAIL_HOST"):
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ["EMAIL_HOST"],
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            # a mail server that hangs fails the attempt instead of holding the worker
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        },
    }
else:
    _mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ppid@localhost")
# Notification mail goes through the outbox (ppid/surel.py): a failed send is tried again after
# each of these delays, then the message is "failed" (admin, and a notice on the PPID's desk).
DIK_MAIL_RETRY_MINUTES = [int(m) for m in env_list("DIK_MAIL_RETRY_MINUTES", "1,5,30,120")]

# The text of stored files for staff search (dokumen/file_text.py): tesseract's language data
# (Debian's tesseract-ocr-ind), the longest one page may take, and the delays before a failed
# reading is tried again (then it is "failed", shown on the entry page).
DIK_OCR_LANGUAGE = os.environ.get("DIK_OCR_LANGUAGE", "ind")
DIK_OCR_PAGE_SECONDS = int(os.environ.get("DIK_OCR_PAGE_SECONDS", "120"))
DIK_OCR_RETRY_MINUTES = [int(m) for m in env_list("DIK_OCR_RETRY_MINUTES", "1,10,60")]

# Under DEBUG a missing page shows the site's own 404 page like in production (ppid/not_found.py);
# DEBUG_TECHNICAL_404=1 brings back Django's technical page, which lists the URL patterns.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", False)

# Roles whose approval a round needs (group names, see ppid.roles).
# the office of a single-office deployment and of the URLs without an office (slug of a Kantor)
DIK_DEFAULT_OFFICE = os.environ.get("DIK_DEFAULT_OFFICE", "kab-pinrang")
# the root certificates (PEM or DER, e.g. BSrE's) a decree's electronic signature is checked
# against (publikasi/tanda_tangan.py); empty: signatures are checked, their issuer unverified
DIK_SIGNATURE_CA_FILE = os.environ.get("DIK_SIGNATURE_CA_FILE", "")
# PKPU 4/2025: the KPU Provinsi (slugs) that run the consequence test by delegation
DIK_DELEGATED_PROVINCES = env_list("DIK_DELEGATED_PROVINCES", "")
DIK_REQUIRED_APPROVER_ROLES = env_list(
    "DIK_REQUIRED_APPROVER_ROLES", "Pembina PPID,Tim Pertimbangan,Atasan PPID"
)
# who approves a redacted public copy before it is published (roles in the entry's office)
DIK_REDACTED_COPY_APPROVER_ROLES = env_list("DIK_REDACTED_COPY_APPROVER_ROLES", "Atasan PPID")

# Login throttling against password guessing (django-axes): after AXES_FAILURE_LIMIT failed
# logins for one username from one address, that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ppid.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ppid.throttle.client_address"
# how many reverse proxies of our own stand in front (their X-Forwarded-For entries are trusted)
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Slow work (thumbnails, big PDFs, mail) runs in the background worker:
# `manage.py db_worker --no-reload` takes tasks from the database (django-tasks-db).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Every worker (ppid/management/commands/db_worker.py) puts back in the queue the tasks of a
# worker that died (ppid/workers.py) at start-up and then every TASKS_RECOVERY_SECONDS; a task
# whose worker died TASKS_MAX_WORKER_DEATHS times is failed instead (it may be what kills it).
TASKS_RECOVERY_SECONDS = int(os.environ.get("TASKS_RECOVERY_SECONDS", "60"))
TASKS_MAX_WORKER_DEATHS = int(os.environ.get("TASKS_MAX_WORKER_DEATHS", "3"))

# Built-in CSP of Django 6: no inline script, nothing from another host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# no page of ours is shown in a frame, not even by ourselves
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # the worker says which task it ran and how it ended; the tests' immediate backend would
    # log every run, so they set TASKS_LOG_LEVEL=WARNING (failures still come through as ERROR)
    "loggers": {
        name: {
            "handlers": ["console"],
            "level": os.environ.get("TASKS_LOG_LEVEL", "INFO"),
            "propagate": False,
        }
        for name in ("django.tasks", "django_tasks_db")
    }
    | {
        # pyHanko logs an issuer it cannot trace to a trusted root, and a PDF changed after
        # signing, as warnings with their tracebacks; publikasi.tanda_tangan reports both on
        # the decree itself ("penerbit belum diverifikasi", flagged as changed), so only
        # pyHanko's errors are worth a log line
        name: {"level": "ERROR"}
        for name in ("pyhanko.sign.validation.generic_cms", "pyhanko.sign.diff_analysis.policies")
    },
}
