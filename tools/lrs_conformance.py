#!/usr/bin/env python3
"""Run the ADL LRS conformance test suite against LearnCity's /xapi/ on a fresh database.

    .venv/bin/python tools/lrs_conformance.py [--suite /tmp/lrs-conformance-test-suite]
        [--versions 1.0.3,2.0.0] [--postgres] [--grep PATTERN] [--port 8765]

What it does:
1. makes a throw-away LEARNCITY_HOME (and, with --postgres, a fresh database on the local
   server), migrates it, creates one institution and one read/write LRS credential;
2. starts `learncity serve` on 127.0.0.1;
3. runs `node bin/console_runner.js` from the suite checkout (outside this repository; it is
   cloned and `npm install`ed there if missing) for each version, without -b, every test counted;
4. prints passed/failed/total per version, read from the suite's JSON log (the runner's exit
   status is not a reliable count), and the titles of the failing tests.

The suite's code is never copied into this repository.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
SUITE_GIT = "https://github.com/adlnet/lrs-conformance-test-suite.git"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

SETUP = """
import django; django.setup()
from learncity.access import system_actor
from learncity.institutions.services import create_institution
from learncity.institutions.uscc import make_uscc
from learncity.lrs.credentials import create_credential
actor = system_actor("conformance")
inst = create_institution(actor, code="LRSTEST", name_zh="一致性测试", name_en="Conformance",
                          kind="training", district_code="310104",
                          uscc=make_uscc("52310000MJ0000009"))
for version in ("1.0.3", "2.0.0"):
    credential, secret = create_credential(actor, inst, "ADL conformance suite " + version,
                                           ["read", "write"], version)
    print(version + ":" + credential.key + ":" + secret)
"""


def free_port(preferred: int) -> int:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_suite(path: Path) -> None:
    if not (path / "bin" / "console_runner.js").exists():
        subprocess.run(["git", "clone", "--depth", "1", SUITE_GIT, str(path)], check=True)
    if not (path / "node_modules").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=path, check=True)


def prepare_database(env: dict, postgres: bool) -> str | None:
    if not postgres:
        return None
    name = "lrs_conformance_" + uuid.uuid4().hex[:8]
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    return name


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def count(log: dict) -> tuple[int, int, list[str]]:
    """Passed, failed and failing titles, counting the leaves of the suite's test tree."""
    passed = failed = 0
    failures: list[str] = []

    def walk(node: dict, trail: list[str]) -> None:
        nonlocal passed, failed
        children = node.get("tests") or []
        title = node.get("title") or node.get("name") or ""
        if not children:
            if node.get("status") == "passed":
                passed += 1
            elif node.get("status") == "failed":
                failed += 1
                failures.append(" > ".join([*trail[-2:], title]))
            return
        for child in children:
            walk(child, [*trail, title] if title else trail)

    walk(log.get("log") or {}, [])
    return passed, failed, failures


def run_version(
    suite: Path, version: str, endpoint: str, key: str, secret: str, grep: str | None
) -> dict:
    before = set((suite / "logs").glob("*.log")) if (suite / "logs").exists() else set()
    command = [
        "node",
        "bin/console_runner.js",
        "-e",
        endpoint,
        "-a",
        "-u",
        key,
        "-p",
        secret,
        "-x",
        version,
    ]
    if grep:
        command += ["-g", grep]
    started = time.monotonic()
    subprocess.run(command, cwd=suite, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    logs = sorted(set((suite / "logs").glob("*.log")) - before, key=lambda p: p.stat().st_mtime)
    if not logs:
        raise SystemExit(f"the suite wrote no log for {version}")
    log = json.loads(logs[-1].read_text())
    passed, failed, failures = count(log)
    return {
        "version": version,
        "passed": passed,
        "failed": failed,
        "total": passed + failed,
        "seconds": round(time.monotonic() - started),
        "failures": failures,
        "log": str(logs[-1]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=Path("/tmp/lrs-conformance-test-suite"))
    parser.add_argument("--versions", default="1.0.3,2.0.0")
    parser.add_argument("--postgres", action="store_true", help="use a fresh PostgreSQL database")
    parser.add_argument("--grep", help="only the suite's tests matching this pattern")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    ensure_suite(args.suite)
    home = Path(tempfile.mkdtemp(prefix="lrs-conformance-"))
    env = {
        **os.environ,
        "LEARNCITY_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "learncity.settings",
    }
    env.pop("DATABASE_URL", None)
    database = prepare_database(env, args.postgres)
    server = None
    try:
        learncity = [str(ROOT / ".venv" / "bin" / "learncity")]
        subprocess.run([*learncity, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        made = subprocess.run(
            [str(PYTHON), "-c", SETUP], env=env, check=True, capture_output=True, text=True
        )
        credentials = {}
        for line in made.stdout.strip().splitlines()[-2:]:
            version, key, secret = line.split(":", 2)
            credentials[version] = (key, secret)
        port = free_port(args.port)
        with open(home / "server.log", "w") as server_log:
            server = subprocess.Popen(
                [*learncity, "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=server_log,
                start_new_session=True,
            )
        endpoint = f"http://127.0.0.1:{port}/xapi"
        wait_for(endpoint + "/about")
        # One credential per version: a request without a version header is answered in the
        # credential's version (the two suites expect 1.0.3 and 2.0.0 for the same request).
        results = [
            run_version(args.suite, v.strip(), endpoint, *credentials[v.strip()], args.grep)
            for v in args.versions.split(",")
        ]
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if database:
            subprocess.run(
                [
                    "psql",
                    f"{PG_SERVER}/postgres",
                    "-qc",
                    f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
                ],
                check=False,
            )
        shutil.rmtree(home, ignore_errors=True)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    for r in results:
        print(
            f"xAPI {r['version']} on {backend}: passed {r['passed']}, failed {r['failed']}, "
            f"total {r['total']} ({r['seconds']} s; log {r['log']})"
        )
        for title in r["failures"]:
            print("   FAILED", title[:300])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if all(r["failed"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
