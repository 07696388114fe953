"""Configuration classes; every setting can be overridden by a HALLMON_* environment variable."""
from __future__ import annotations

import os
from pathlib import Path

from hallmon.resources import checkout_root


def instance_path() -> Path:
    """The instance folder: HALLMON_INSTANCE_PATH, else the checkout's `instance/` when running from a
    source checkout, else `instance/` in the current directory (never inside site-packages)."""
    explicit = os.environ.get("HALLMON_INSTANCE_PATH")
    if explicit:
        return Path(explicit)
    return (checkout_root() or Path.cwd()) / "instance"


def default_database_url() -> str:
    """HALLMON_DATABASE_URL, else the embedded SQLite file in the instance folder."""
    url = os.environ.get("HALLMON_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{instance_path() / 'hallmon.sqlite3'}"


class Config:
    SECRET_KEY = "dev-only-change-me"
    DATABASE_URL: str | None = None  # resolved at app creation so the environment is read late
    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 200 * 1024 * 1024
    LOGIN_ATTEMPTS_PER_WINDOW = 5
    LOGIN_WINDOW_SECONDS = 300
    TESTING = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False


ENV_OVERRIDES = {
    "HALLMON_DATABASE_URL": "DATABASE_URL",
    "HALLMON_SECRET_KEY": "SECRET_KEY",
}


def load_config(app_config: dict, config: object | dict | None) -> None:
    """Fill a Flask config from the class, the environment and explicit overrides (in that order)."""
    base = Config
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = config
    elif config is not None:
        base = config  # a class such as TestConfig
    app_config.from_object(base)
    for env_name, key in ENV_OVERRIDES.items():
        if os.environ.get(env_name):
            app_config[key] = os.environ[env_name]
    app_config.update(overrides)
    if not app_config.get("DATABASE_URL"):
        app_config["DATABASE_URL"] = default_database_url()
