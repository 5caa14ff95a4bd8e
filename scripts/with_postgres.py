"""Run a command with DATABASE_URL pointing at a PostgreSQL server.

Uses DATABASE_URL when it names a server that answers. Otherwise starts a throwaway cluster from
the machine's PostgreSQL binaries in a temporary directory, on a Unix socket only (no TCP port),
as a non-root user (PostgreSQL refuses to run as root), runs the command, then stops the cluster
and deletes it. Under CI=true a missing PostgreSQL is an error, never a skip.

    python scripts/with_postgres.py pytest -q
    EO_PG_DURABLE=1 python scripts/with_postgres.py python benchmarks/import_customers.py --database postgresql

The throwaway cluster runs without fsync (tests need no crash safety) unless EO_PG_DURABLE is
set, as benchmarks do.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Callable
from pathlib import Path

SERVICE_USER = "eo-pgtest"
PORT = "5439"


def reachable(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def find_bin_dir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def install_postgres() -> None:
    print("with_postgres: PostgreSQL not found; installing Debian's postgresql", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True)


def service_account() -> pwd.struct_passwd | None:
    """The account the cluster runs as: ourselves unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVICE_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        check=True,
    )
    return pwd.getpwnam(SERVICE_USER)


def as_user(account: pwd.struct_passwd | None) -> Callable[[], None] | None:
    if account is None:
        return None

    def demote() -> None:
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    return demote


def main(command: list[str]) -> int:
    if not command:
        print(__doc__)
        return 2
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and reachable(url):
        return subprocess.call(command)
    bin_dir = find_bin_dir()
    if bin_dir is None and os.geteuid() == 0:
        install_postgres()
        bin_dir = find_bin_dir()
    if bin_dir is None:
        print("with_postgres: no PostgreSQL server binaries (pg_ctl) found", file=sys.stderr)
        return 1
    account = service_account()
    root = Path(tempfile.mkdtemp(prefix="eo-pg-"))
    data, sockets, log = root / "data", root / "run", root / "server.log"
    sockets.mkdir()
    if account is not None:
        for path in (root, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    os.chmod(root, 0o755)
    demote = as_user(account)
    try:
        subprocess.run(
            [
                bin_dir / "initdb",
                "-D",
                data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            preexec_fn=demote,
            stdout=subprocess.DEVNULL,
        )
        options = f"-k {sockets} -p {PORT} -c listen_addresses='' -c max_connections=50"
        if not os.environ.get("EO_PG_DURABLE"):
            # Tests need no crash safety; benchmarks set EO_PG_DURABLE=1 to measure with it.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start"],
            check=True,
            preexec_fn=demote,
            stdout=subprocess.DEVNULL,
        )
        host = urllib.parse.quote(str(sockets), safe="")
        url = f"postgres://postgres@{host}:{PORT}/postgres"
        print(
            f"with_postgres: throwaway PostgreSQL ({bin_dir.parent.name}) at {sockets}", flush=True
        )
        return subprocess.call(command, env={**os.environ, "DATABASE_URL": url})
    finally:
        subprocess.run(
            [bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
            preexec_fn=demote,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
