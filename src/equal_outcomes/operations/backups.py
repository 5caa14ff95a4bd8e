"""Encrypted, verified backups of everything an installation holds, and their restore.

``backup`` takes, while the app keeps running:

- the database, consistently: SQLite's ``VACUUM INTO`` (a transaction-consistent copy, WAL
  included) or ``pg_dump --format=custom`` (one snapshot transaction) for PostgreSQL;
- the analytics stores (``analytics.duckdb``, ``events.duckdb``, ``population.duckdb``), which
  are only ever replaced whole by renaming, so an open file is one consistent version;
- uploaded evidence files;
- a manifest: when, which database, the latest migration of each app, every file's SHA-256,
  every table's row count and the fingerprints (never the secrets) of the keys in the key ring.

These go into a tar archive, encrypted in 1 MiB chunks with AES-256-GCM (the STREAM
construction: each chunk's nonce carries its number and a last-chunk flag, so chunks cannot be
reordered, dropped or cut short without the decryption failing). The key is derived (HKDF) from
the key ring's primary key, whose id is in the file's clear header: the key file is not in the
backup and must be kept apart from it; with it, and only with it, the backup can be read. The
backup is then read back and checked before ``backup`` reports success.

``restore`` checks the file the same way, refuses a backup from the other kind of database,
loads the database (SQLite's backup API into the live database, or ``pg_restore --clean
--single-transaction``), puts the stores and uploads back, and checks every table's row count
against the manifest. Stop the web app and workers first.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.crypto import keyring

MAGIC = b"EQUAL-OUTCOMES-BACKUP\n"
FORMAT = 1
CHUNK = 1024 * 1024
NONCE_PREFIX = 7  # bytes; then a 4-byte chunk number and a 1-byte last-chunk flag
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(RuntimeError):
    """The backup cannot be made, read or restored; the message says why."""


@dataclass
class BackupReport:
    path: Path
    vendor: str
    files: dict[str, int] = field(default_factory=dict)  # archive name: bytes
    rows: int = 0
    key_id: str = ""


def _stores() -> dict[str, Path]:
    from equal_outcomes.insight.events import events_path
    from equal_outcomes.insight.population import population_path
    from equal_outcomes.insight.snapshot import store_path

    return {
        "stores/analytics.duckdb": store_path(),
        "stores/events.duckdb": events_path(),
        "stores/population.duckdb": population_path(),
    }


def _uploads() -> Path:
    return Path(settings.MEDIA_ROOT)


def _backup_key(key_id: str) -> bytes:
    ring = keyring()
    if key_id not in ring.keys:
        raise BackupError(
            f"this backup was made with key {key_id}, which is not in the key ring at "
            f"{settings.EQUAL_OUTCOMES_KEY_FILE}: put back the key file kept with your backups"
        )
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"equal-outcomes backup v1"
    ).derive(ring.keys[key_id].secret)


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _encrypt(source: Path, target: Path) -> str:
    key_id = keyring().primary
    header = json.dumps(
        {"format": FORMAT, "key_id": key_id, "chunk": CHUNK, "created": timezone.now().isoformat()}
    ).encode()
    cipher = AESGCM(_backup_key(key_id))
    prefix = os.urandom(NONCE_PREFIX)
    with source.open("rb") as plain, target.open("wb") as out:
        out.write(MAGIC + len(header).to_bytes(4, "big") + header + prefix)
        number, chunk = 0, plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            out.write(cipher.encrypt(_nonce(prefix, number, last), chunk, header))
            if last:
                break
            number, chunk = number + 1, following
        out.flush()
        os.fsync(out.fileno())
    return key_id


def _decrypt(source: Path, target: Path) -> dict[str, Any]:
    with source.open("rb") as encrypted, target.open("wb") as out:
        if encrypted.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{source} is not an Equal Outcomes backup")
        size = int.from_bytes(encrypted.read(4), "big")
        raw = encrypted.read(size)
        try:
            header = json.loads(raw)
        except ValueError:
            raise BackupError("the backup's header is damaged") from None
        if header.get("format") != FORMAT:
            raise BackupError(f"backup format {header.get('format')} is not supported")
        cipher = AESGCM(_backup_key(str(header["key_id"])))
        prefix = encrypted.read(NONCE_PREFIX)
        number, sealed = 0, encrypted.read(CHUNK + 16)
        while True:
            following = encrypted.read(CHUNK + 16)
            last = not following
            try:
                out.write(cipher.decrypt(_nonce(prefix, number, last), sealed, raw))
            except InvalidTag:
                raise BackupError(
                    "the backup is damaged, cut short or was tampered with (chunk "
                    f"{number} does not authenticate)"
                ) from None
            if last:
                break
            number, sealed = number + 1, following
    return dict(header)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _vendor() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _libpq_env() -> dict[str, str]:
    """How pg_dump and pg_restore reach the configured database (never on a command line)."""
    config = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(config["NAME"])}
    for name, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                      ("PGPASSWORD", "PASSWORD")):  # fmt: skip
        if config.get(key):
            env[name] = str(config[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client)")
    done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [binary, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")


def _dump_database(target: Path) -> None:
    if _vendor() == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file",
              str(target)], _libpq_env())  # fmt: skip


def load_sqlite(path: Path, target: sqlite3.Connection) -> None:
    """Copies the SQLite database at ``path`` over ``target``'s, page by page.

    SQLite cannot copy pages of one size into a database in WAL mode with pages of another, so a
    backup from a database with other-sized pages (4 KB, made before new databases had 16 KB
    ones) is first rebuilt with the target's page size. ``path`` must be a scratch copy."""
    with closing(sqlite3.connect(path, isolation_level=None)) as source:
        (size,) = target.execute("PRAGMA page_size").fetchone()
        if source.execute("PRAGMA page_size").fetchone()[0] != size:
            source.execute("PRAGMA journal_mode=DELETE")  # page sizes change only outside WAL
            source.execute(f"PRAGMA page_size={int(size)}")
            source.execute("VACUUM")
        source.backup(target)


def row_counts() -> dict[str, int]:
    """Every table's rows, by model label."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


@contextmanager
def _workspace() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="backup-", dir=settings.HOME))
    folder.chmod(0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def backup(path: Path, *, actor: Any) -> BackupReport:
    """Writes an encrypted backup to ``path``, then reads it back to check it."""
    path = path.resolve()
    if path.is_dir():
        path = path / f"equal-outcomes-{timezone.now():%Y%m%d-%H%M%S}.backup"
    report = BackupReport(path, _vendor())
    with _workspace() as work:
        content = work / "content"
        content.mkdir()
        database = content / DATABASE_FILES[report.vendor]
        _dump_database(database)
        for name, store in _stores().items():
            if store.exists():
                (content / name).parent.mkdir(exist_ok=True)
                with store.open("rb") as live, (content / name).open("wb") as copy:
                    shutil.copyfileobj(live, copy)  # the open file is one whole version
        if _uploads().exists():
            shutil.copytree(_uploads(), content / "uploads")
        files = {
            str(item.relative_to(content)): item for item in sorted(content.rglob("*"))
            if item.is_file()
        }  # fmt: skip
        counts = row_counts()
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": report.vendor,
            "migrations": _migrations(),
            "rows": counts,
            "files": {
                name: {"sha256": _sha256(item), "bytes": item.stat().st_size}
                for name, item in files.items()
            },
            "keys": {
                key_id: hashlib.sha256(key.secret).hexdigest()[:16]
                for key_id, key in keyring().keys.items()
            },
        }
        archive = work / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name, item in files.items():
                tar.add(item, arcname=name, recursive=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        report.key_id = _encrypt(archive, partial)
        partial.chmod(0o600)
        _verify(partial, work / "check")
        os.replace(partial, path)
        report.files = {name: item.stat().st_size for name, item in files.items()}
        report.rows = sum(counts.values())
    Auditor.record(
        actor=actor, action=AuditAction.BACKUP, target_type="installation", target_id=path.name[:64],
        purpose=f"{report.vendor}; {len(report.files)} files; {report.rows} rows",
    )  # fmt: skip
    return report


def _verify(path: Path, folder: Path) -> dict[str, Any]:
    """Decrypts and unpacks a backup into ``folder``, checking every file against the
    manifest and the database file itself; returns the manifest."""
    folder.mkdir(mode=0o700)
    archive = folder / "backup.tar"
    _decrypt(path, archive)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "content", filter="data")
    archive.unlink()
    content = folder / "content"
    manifest: dict[str, Any] = json.loads((content / "manifest.json").read_text())
    for name, expected in manifest["files"].items():
        item = content / name
        if not item.is_file() or _sha256(item) != expected["sha256"]:
            raise BackupError(f"{name} in the backup does not match its checksum")
    database = content / DATABASE_FILES[manifest["vendor"]]
    if manifest["vendor"] == "sqlite":
        with sqlite3.connect(database) as check:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"the backed-up database fails its integrity check: {result}")
    else:
        _run(["pg_restore", "--list", str(database)], dict(os.environ))
    return manifest


def verify(path: Path) -> dict[str, Any]:
    """Checks a backup without restoring it; returns its manifest."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with _workspace() as work:
        return _verify(path, work / "check")


def restore(path: Path, *, actor: Any) -> dict[str, Any]:
    """Replaces the database, stores and uploads with the backup's, after checking it."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with _workspace() as work:
        manifest = _verify(path, work / "check")
        content = work / "check" / "content"
        if manifest["vendor"] != _vendor():
            raise BackupError(
                f"this is a {manifest['vendor']} backup; the configured database is {_vendor()}"
            )
        database = content / DATABASE_FILES[manifest["vendor"]]
        if manifest["vendor"] == "sqlite":
            connection.ensure_connection()
            load_sqlite(database, connection.connection)
        else:
            connection.close()
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                  "--single-transaction", "--dbname", str(connection.settings_dict["NAME"]),
                  str(database)], _libpq_env())  # fmt: skip
        for name, store in _stores().items():
            if (content / name).exists():
                store.parent.mkdir(parents=True, exist_ok=True)
                staged = store.with_suffix(".restoring")
                shutil.copyfile(content / name, staged)
                staged.chmod(0o600)
                os.replace(staged, store)
            else:
                store.unlink(missing_ok=True)
        if (content / "uploads").exists():
            shutil.rmtree(_uploads(), ignore_errors=True)
            shutil.copytree(content / "uploads", _uploads())
        counts = row_counts()
        wrong = {
            label: (rows, counts.get(label))
            for label, rows in manifest["rows"].items()
            if counts.get(label) != rows
        }
        if wrong:
            raise BackupError(f"after restoring, these tables do not match the backup: {wrong}")
    Auditor.record(
        actor=actor, action=AuditAction.RESTORE, target_type="installation", target_id=path.name[:64],
        purpose=f"backup of {manifest['created']}; {sum(manifest['rows'].values())} rows",
    )  # fmt: skip
    return manifest
