"""Secrets (the login-cookie key, the personal-data key): from .streamlit/secrets.toml, else an
environment variable, else generated once (48 random bytes) into a git-ignored file beside the
database. db/ reads secrets.toml itself because it never imports Streamlit."""

import base64
import hashlib
import hmac
import os
import secrets
import tomllib
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from db.connection import db_path

SECRETS_TOML = Path(".streamlit/secrets.toml")


def secret(name: str) -> str:
    """`name` from secrets.toml, else LINLI_<NAME>, else <name>.key beside the database."""
    if SECRETS_TOML.exists():
        value = tomllib.loads(SECRETS_TOML.read_text()).get(name)
        if value:
            return str(value)
    env = os.environ.get("LINLI_" + name.upper())
    if env:
        return env
    return _local_secret(Path(db_path()).parent / f"{name.replace('_', '-')}.key")


def _local_secret(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()  # another process created it first
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@lru_cache(maxsize=8)
def _keys(master: str) -> tuple[Fernet, bytes]:
    # Two independent keys from one secret: one encrypts, one hashes for look-ups.
    enc = hashlib.sha256(b"linli-encrypt|" + master.encode()).digest()
    mac = hashlib.sha256(b"linli-lookup|" + master.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def _master() -> str:
    return secret("data_key")


def encrypt(text: str) -> str:
    return _keys(_master())[0].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys(_master())[0].decrypt(token.encode()).decode()
    except InvalidToken:
        return "?"  # a key mismatch must not crash a page; the masked form is still shown


def lookup_hash(text: str) -> str:
    """A keyed hash: equal inputs match (duplicate checks) without storing the plain value."""
    return hmac.new(_keys(_master())[1], text.encode(), hashlib.sha256).hexdigest()
