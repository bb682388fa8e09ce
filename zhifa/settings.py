"""Settings, all read from the environment (see docs/configuration.md)."""

import datetime as dt
import json
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = BASE_DIR.parent


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", CHECKOUT_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """ZHIFA_SECRET_KEY, else a random key kept in VAR_DIR (never in the repository)."""
    key = os.environ.get("ZHIFA_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("ZHIFA_DEBUG")
ALLOWED_HOSTS = _env_list("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("ZHIFA_CSRF_TRUSTED_ORIGINS", "")
# The address the public reaches this service at: QR codes on documents point to <this>/verify/<code>/.
ZHIFA_PUBLIC_URL = os.environ.get("ZHIFA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The ledger's checkpoint origin (docs/ledger.md): a schema-less URL naming this log.
ZHIFA_LEDGER_ORIGIN = os.environ.get("ZHIFA_LEDGER_ORIGIN", "").strip() or (
    ZHIFA_PUBLIC_URL.split("://", 1)[-1].split("/", 1)[0] + "/ledger"
)
# A checkpoint is signed after a commit once the latest is this old or this many leaves behind.
ZHIFA_LEDGER_CHECKPOINT_SECONDS = int(os.environ.get("ZHIFA_LEDGER_CHECKPOINT_SECONDS", "600"))
ZHIFA_LEDGER_CHECKPOINT_LEAVES = int(os.environ.get("ZHIFA_LEDGER_CHECKPOINT_LEAVES", "1000"))
# 公示 redaction style (docs/redaction.md): e.g. 张** and 110105********002X. ZHIFA_REDACTION_STYLE in
# the environment is a JSON object overriding some of these keys.
ZHIFA_REDACTION_STYLE: dict[str, Any] = {
    "mask_char": "*",
    "name_keep_surname": True,
    "name_fixed_length": 0,
    "id_keep_head": 6,
    "id_keep_tail": 4,
    "phone_keep_head": 3,
    "phone_keep_tail": 4,
    "bank_keep_head": 0,
    "bank_keep_tail": 4,
    "email_keep_head": 1,
    "email_keep_domain": True,
    "plate_keep_head": 2,
    "passport_keep_head": 1,
    "passport_keep_tail": 0,
    "address_mask": "****",
    **json.loads(os.environ.get("ZHIFA_REDACTION_STYLE", "{}") or "{}"),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The task queue's worker command (`zhifa run_huey`) and the tasks.py of every app.
    "huey.contrib.djhuey",
    # Login throttling (docs/operations.md): its failed-attempt records live in the database.
    "axes",
    "zhifa.core",
    "zhifa.accounts",
    "zhifa.org",
    "zhifa.catalog",
    "zhifa.ledger",
    "zhifa.documents",
    "zhifa.cases",
    "zhifa.evidence",
    "zhifa.review",
    "zhifa.disclosure",
    "zhifa.party",
    "zhifa.inspections",
    "zhifa.payments",
    "zhifa.devices",
    "zhifa.supervision",
    "zhifa.workbench",
    "zhifa.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy below, on every answer.
    "csp.middleware.CSPMiddleware",
    "zhifa.core.middleware.DomainErrorMiddleware",
    # An empty 405 becomes a page (or JSON under /api/) that says which method to use.
    "zhifa.core.middleware.MethodNotAllowedMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): every script, style sheet, font and image comes from this
# origin; no inline script or style= attribute runs, so injected markup cannot act. Images may be
# data: (Swagger UI's icons, QR codes) or blob: (evidence previews). A nonce is added only where a
# page asks for one (the step page's document preview, whose HTML carries its own <style>).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

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
                "zhifa.workbench.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}"
    db: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=int(os.environ.get("ZHIFA_DB_CONN_MAX_AGE", "0")))
    )
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and one writer proceed together; the busy timeout waits for the
        # write lock instead of failing; IMMEDIATE takes it at BEGIN so writes never deadlock.
        db["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
        # The test database is a file too, so that concurrent steps in the suite meet the same
        # write lock as the workers of a deployment (an in-memory database shares one cache and
        # refuses a second writer instead of waiting). pytest-xdist suffixes it per worker.
        db["TEST"] = {"NAME": str(VAR_DIR / "test-zhifa.sqlite3")}
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
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


def _evidence_storage() -> dict[str, Any]:
    """Evidence files: the file system under VAR_DIR, or S3-compatible storage when a bucket is set."""
    bucket = os.environ.get("ZHIFA_EVIDENCE_S3_BUCKET")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(VAR_DIR / "evidence"), "file_permissions_mode": 0o440},
        }
    options = {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("ZHIFA_EVIDENCE_S3_ENDPOINT") or None,
        "region_name": os.environ.get("ZHIFA_EVIDENCE_S3_REGION") or None,
        "access_key": os.environ.get("ZHIFA_EVIDENCE_S3_ACCESS_KEY") or None,
        "secret_key": os.environ.get("ZHIFA_EVIDENCE_S3_SECRET_KEY") or None,
        "location": os.environ.get("ZHIFA_EVIDENCE_S3_PREFIX", "evidence"),
        # A content-addressed name holds the same bytes whoever writes it: never rename.
        "file_overwrite": True,
        "default_acl": None,
        "querystring_auth": True,
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {k: v for k, v in options.items() if v is not None},
    }


STORAGES["evidence"] = _evidence_storage()
# Serve straight from the app folders when collectstatic has not run (development, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("ZHIFA_SESSION_AGE", str(8 * 3600)))
SESSION_COOKIE_SECURE = _env_bool("ZHIFA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "zhifa.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _env_bool("ZHIFA_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work (zhifa.core.tasks, docs/deployment.md): a SQLite queue file beside the data on
# one machine, no server needed; ZHIFA_TASKS_URL=redis://… for workers on several machines.
# ZHIFA_TASKS_IMMEDIATE=1 runs every task at once in the caller (the test suite does).
ZHIFA_TASKS_URL = os.environ.get("ZHIFA_TASKS_URL", "").strip()
ZHIFA_TASK_WORKERS = int(os.environ.get("ZHIFA_TASK_WORKERS", "2"))
HUEY: dict[str, Any] = {
    "name": os.environ.get("ZHIFA_TASKS_NAME", "zhifa"),
    "immediate": _env_bool("ZHIFA_TASKS_IMMEDIATE"),
    "results": False,
    "utc": True,
    "consumer": {"workers": ZHIFA_TASK_WORKERS, "worker_type": "thread", "periodic": True},
}
if ZHIFA_TASKS_URL.startswith(("redis://", "rediss://", "unix://")):
    HUEY |= {"huey_class": "huey.RedisHuey", "url": ZHIFA_TASKS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3")}
# How long an Idempotency-Key keeps answering a retry with the first result.
# 双随机一公开 (docs/inspections.md): the jurisdiction's credit-risk scale of the 检查对象名录库,
# lowest risk first, as JSON [["A", "信用风险低"], ...] in ZHIFA_CREDIT_RISK_CLASSES.
ZHIFA_CREDIT_RISK_CLASSES: list[tuple[str, str]] = [
    (str(code), str(label))
    for code, label in json.loads(
        os.environ.get("ZHIFA_CREDIT_RISK_CLASSES", "")
        or '[["A", "信用风险低（A类）"], ["B", "信用风险一般（B类）"], ["C", "信用风险较高（C类）"], ["D", "信用风险高（D类）"]]'
    )
]
ZHIFA_IDEMPOTENCY_HOURS = int(os.environ.get("ZHIFA_IDEMPOTENCY_HOURS", "48"))
# Login throttling (django-axes): after this many failed logins an account is locked, and
# separately the address they came from, each for this many minutes after its last failure.
ZHIFA_LOGIN_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_FAILURE_LIMIT", "10"))
ZHIFA_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("ZHIFA_LOGIN_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = ZHIFA_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=ZHIFA_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts during a lockout do not prolong it: it ends when it said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Not reset by a success: with the address as a lockout parameter, one valid login from an
# address would also wipe the failures recorded there against other accounts.
AXES_RESET_ON_SUCCESS = False
# The same client address the access log records (the proxy's X-Forwarded-For behind the proxy).
AXES_CLIENT_IP_CALLABLE = "zhifa.core.access.client_ip"
AXES_LOCKOUT_CALLABLE = "zhifa.accounts.views.locked_out"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账号或所在网络地址已被暂时锁定，请稍后再试。"
AXES_HTTP_RESPONSE_CODE = 429
# No banner on every command's stderr (the `zhifa` commands' output is an interface).
AXES_VERBOSE = False

# The cache: local memory in each worker, or a Redis server shared by all of them.
_CACHE_URL = os.environ.get("ZHIFA_CACHE_URL", "").strip()
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhifa"}
    )
}
# The anonymous portal pages answered from that cache until a publication changes
# (zhifa.disclosure.portal_cache); ZHIFA_PORTAL_CACHE=0 turns it off. Seconds a page is kept at most.
ZHIFA_PORTAL_CACHE = _env_bool("ZHIFA_PORTAL_CACHE", default=True)
ZHIFA_PORTAL_CACHE_SECONDS = int(os.environ.get("ZHIFA_PORTAL_CACHE_SECONDS", "300"))
# Jurisdiction settings and calendar overrides kept in each process (zhifa.core.process_cache):
# at most this many seconds when another process changed them and the cache is not shared (0: off).
ZHIFA_PROCESS_CACHE_SECONDS = int(os.environ.get("ZHIFA_PROCESS_CACHE_SECONDS", "30"))
# 公示 feedback form (投诉与表扬): submissions accepted from one address per hour.
ZHIFA_FEEDBACK_PER_HOUR = int(os.environ.get("ZHIFA_FEEDBACK_PER_HOUR", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # PDF rendering reports every step and font subset at INFO; only problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # `run_huey` gives the huey logger its own handler; passing it on too would print twice.
        "huey": {"propagate": False},
    },
}
