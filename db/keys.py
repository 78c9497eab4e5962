"""Secrets (the login-cookie key, the personal-data key): from .streamlit/secrets.toml, else an
environment variable, else generated once (48 random bytes) into a git-ignored file beside the
database. db/ reads secrets.toml itself because it never imports Streamlit."""

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
import tomllib
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet

from db.store import db_path
from db.errors import LinliError

SECRETS_TOML = Path(".streamlit/secrets.toml")


def secret_in_toml(name: str) -> str | None:
    if SECRETS_TOML.exists():
        value = tomllib.loads(SECRETS_TOML.read_text()).get(name)
        return str(value) if value else None
    return None


def secret(name: str, generate: bool = True) -> str:
    """`name` from secrets.toml, else LINLI_<NAME>, else <name>.key beside the database (made
    there when `generate`, else DataKeyMissing)."""
    if not in_file(name):
        return secret_in_toml(name) or os.environ["LINLI_" + name.upper()]
    path = key_file(name)
    if not generate and not path.exists():
        raise DataKeyMissing(path=str(path))
    return _local_secret(path)


def key_file(name: str) -> Path:
    """Where a generated secret lives: <name>.key beside the database."""
    return Path(db_path()).parent / f"{name.replace('_', '-')}.key"


def in_file(name: str) -> bool:
    """Whether `name` comes from its key file (neither secrets.toml nor the environment sets it)."""
    return not (secret_in_toml(name) or os.environ.get("LINLI_" + name.upper()))


class DataKeyMissing(LinliError):
    key = "err.data_key_missing"


class DataKeyWrong(LinliError):
    key = "err.data_key_wrong"


CHECK = "data_key_check"


def verify_data_key(db) -> None:
    """Before anything reads or writes personal data: the data key must be the one the database
    was written with. A fresh database gets a new key; a database that holds encrypted ID numbers
    never does — a lost key stops the app with a message instead of silently starting a new one
    (ID numbers would read as "?" and the same person could register twice)."""
    stored = next(db.query("SELECT value FROM settings WHERE key = ?", [CHECK]), None)
    has_data = stored is not None or next(db.query(
        "SELECT 1 AS x FROM volunteers WHERE id_cipher != 'synthetic' LIMIT 1"), None) is not None
    master = secret("data_key", generate=not has_data)
    check = _check_value(master)
    if stored is None:
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", [CHECK, check])
        db.conn.commit()
    elif not hmac.compare_digest(stored["value"], check):
        raise DataKeyWrong()


def _local_secret(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a temporary name, then linked into place: several app processes
        # starting at once all read the one key that got there first, never a half-written file.
        fd, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
            os.link(draft, path)
        except FileExistsError:
            pass  # another process put its key there first: that one is the key
        finally:
            os.unlink(draft)
    return path.read_text().strip()


@lru_cache(maxsize=8)
def _keys(master: str) -> tuple[Fernet, bytes]:
    # Two independent keys from one secret: one encrypts, one hashes for look-ups.
    enc = hashlib.sha256(b"linli-encrypt|" + master.encode()).digest()
    mac = hashlib.sha256(b"linli-lookup|" + master.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def _master() -> str:
    return secret("data_key", generate=False)  # made only by verify_data_key, on a fresh database


def encrypt(text: str) -> str:
    return _keys(_master())[0].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _keys(_master())[0].decrypt(token.encode()).decode()  # a wrong key is stopped at start


def lookup_hash(text: str) -> str:
    """A keyed hash: equal inputs match (duplicate checks) without storing the plain value."""
    return hmac.new(_keys(_master())[1], text.encode(), hashlib.sha256).hexdigest()


def _check_value(master: str) -> str:
    return hmac.new(_keys(master)[1], b"linli-data-key-check", hashlib.sha256).hexdigest()


def rotate(db, new_master: str) -> int:
    """Re-encrypt every ID number and recompute its look-up hash under `new_master`, in one
    transaction, with the check value; returns how many were rewritten. The caller stores the key."""
    from db.store import write

    old = _keys(_master())[0]
    new_fernet, new_mac = _keys(new_master)
    count = 0
    with write(db):
        for row in list(db.query("SELECT id, id_cipher FROM volunteers WHERE id_cipher != 'synthetic'")):
            number = old.decrypt(row["id_cipher"].encode()).decode()
            db.execute("UPDATE volunteers SET id_cipher = ?, id_hash = ? WHERE id = ?",
                       [new_fernet.encrypt(number.encode()).decode(),
                        hmac.new(new_mac, number.encode(), hashlib.sha256).hexdigest(), row["id"]])
            count += 1
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   [CHECK, _check_value(new_master)])
    return count
