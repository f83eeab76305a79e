"""Benchmark xAPI statement ingest over HTTP against a bare insert of the same JSON rows.

    .venv/bin/python bench/lrs_ingest_bench.py [--db sqlite|postgres] [--statements 1000000]
        [--singles 20000] [--clients 4] [--server-workers 1] [--max-seconds 1200]
        [--singles-max-seconds 300]

Steps, all in one run on one fresh database (dropped at the end, with its LEARNCITY_HOME):
1. an institution and a read/write LRS credential; the generated statements are checked
   against what learncity.lrs itself stores for them (bench/lrs_data.py);
2. baseline: the same statements, as the JSON text the LRS stores, inserted through the raw
   driver with the LRS's own fast method (COPY on PostgreSQL, a prepared executemany on
   SQLite) into a plain table (id, stored, full) with no index: 100 rows per transaction,
   and then 1 row per transaction for the single-statement baseline;
3. `learncity serve --workers N` on 127.0.0.1 (the server the project ships: N=1 is Django's
   threaded server, one process; N>1 is gunicorn with N worker processes); --clients threads, each
   with a keep-alive connection, POST /xapi/statements with X-Experience-API-Version 1.0.3:
   first --statements statements in batches of 100, then --singles statements one per request
   (the request bodies of a phase are made before its clock starts, about 1 KB a statement in
   memory). Each phase stops early at its time limit (and says so);
4. every statement sent is counted in lrs_statement; the LRS's index rows too.
Reported per phase: statements/s (wall clock), statements per CPU-second (the server processes
plus their database backends; SQLite runs inside the server), p50/p95 request latency, both
rates as ratios to the baseline of the same batch size measured in this run, and how many cores
other processes of the machine used meanwhile (from /proc/stat: a shared machine's rate is not
an idle one's).
Target (issue 5): >= 5,000 statements/s in batches on PostgreSQL on the 2-core machine.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import lrs_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = 5000
BATCH = 100


def proc_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used (every core, since boot)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


class ServerCpu:
    """CPU seconds of the server processes (gunicorn's master and its workers) and of every
    database backend serving them.

    Workers and backends are found once a second while a phase runs (backends in
    pg_stat_activity); the CPU of one that exits between two looks is counted up to the last
    look.
    """

    def __init__(self, server_pid: int, vendor: str):
        self.server_pid = server_pid
        self.vendor = vendor
        self.seen: dict[int, float] = {}
        self.first: dict[int, float] = {}
        self.server_pids: set[int] = set()
        self._stop = threading.Event()
        self._thread = None

    def _backends(self) -> list[int]:
        if self.vendor != "postgresql":
            return []
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            return [r[0] for r in cursor.fetchall()]

    def _servers(self) -> list[int]:
        return [self.server_pid, *children(self.server_pid)]

    def look(self) -> None:
        servers = self._servers()
        self.server_pids.update(servers)
        for pid in [*servers, *self._backends()]:
            cpu = proc_cpu(pid)
            if cpu is not None:
                self.first.setdefault(pid, 0.0)  # not there at the start: new since
                self.seen[pid] = cpu

    def start(self) -> None:
        self.seen, self.first = {}, {}
        servers = self._servers()
        self.server_pids = set(servers)
        for pid in [*servers, *self._backends()]:
            cpu = proc_cpu(pid)
            if cpu is not None:
                self.first[pid] = cpu
                self.seen[pid] = cpu
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.look()

    def stop(self) -> tuple[float, float]:
        """(CPU seconds of the server processes, of the database backends) since start()."""
        self._stop.set()
        self._thread.join()
        self.look()
        used = {pid: self.seen[pid] - self.first.get(pid, 0.0) for pid in self.seen}
        server = sum(used.pop(pid, 0.0) for pid in self.server_pids)
        return server, sum(used.values())


# --- baseline -----------------------------------------------------------------------------


def bare_insert(stored_rows, start: int, count: int, batch: int, label: str) -> dict:
    """Insert the stored JSON of statements start..start+count into bench_bare, ``batch`` rows
    per transaction, through the raw driver; return seconds and CPU (this process + backend)."""
    from django.db import connection
    from django.utils import timezone

    connection.ensure_connection()
    raw = connection.connection
    vendor = connection.vendor
    backend = None
    if vendor == "postgresql":
        backend = raw.execute("SELECT pg_backend_pid()").fetchone()[0]
    raw.commit()
    cpu0 = time.process_time() + (proc_cpu(backend) if backend else 0.0)
    t0 = time.perf_counter()
    done = 0
    for first in range(start, start + count, batch):
        now = timezone.now()
        rows = []
        for i in range(first, min(first + batch, start + count)):
            p, full, _index = stored_rows.row(i, now)
            rows.append((p["id"], now if vendor == "postgresql" else now.isoformat(), full))
        if vendor == "postgresql":
            sql = 'COPY bench_bare (statement_id, stored, "full") FROM STDIN'
            with raw.cursor() as cursor, cursor.copy(sql) as cp:
                for row in rows:
                    cp.write_row(row)
        else:
            cursor = raw.cursor()
            cursor.executemany(
                'INSERT INTO bench_bare (statement_id, stored, "full") VALUES (?, ?, ?)', rows
            )
            cursor.close()
        raw.commit()
        done += len(rows)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() + (proc_cpu(backend) if backend else 0.0) - cpu0
    common.say(
        f"baseline {label}: {done:,} rows in {seconds:,.1f} s = {done / seconds:,.0f}/s, "
        f"{done / cpu:,.0f}/CPU-s"
    )
    return {"count": done, "seconds": seconds, "cpu": cpu}


def create_bare_table(vendor: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "CREATE TABLE bench_bare (id bigint GENERATED BY DEFAULT AS IDENTITY, "
                'statement_id uuid NOT NULL, stored timestamptz NOT NULL, "full" text NOT NULL)'
            )
        else:
            cursor.execute(
                "CREATE TABLE bench_bare (id integer PRIMARY KEY AUTOINCREMENT, "
                'statement_id char(32) NOT NULL, stored datetime NOT NULL, "full" text NOT NULL)'
            )


# --- HTTP load ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(home: Path, workers: int = 1) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = open(home / "server.log", "w")  # noqa: SIM115 - kept open for the server's life
    command = [str(ROOT / ".venv" / "bin" / "learncity"), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/xapi/about", timeout=2)
            return server, port
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit(f"learncity serve did not start; see {home / 'server.log'}")


def post_load(port, auth, generator, start, count, batch, clients, max_seconds, label, cpu):
    """POST statements start..start+count in ``batch``es from ``clients`` threads."""
    headers = {
        "Authorization": auth,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }
    # The request bodies are made before the clock starts (about 1 KB a statement): the
    # clients on this machine should take as little of the CPU the server needs as they can.
    bodies = [
        generator.batch_body(first, min(batch, start + count - first))
        for first in range(start, start + count, batch)
    ]
    common.say(f"{label}: {len(bodies):,} request bodies ready")
    batches = itertools.count()
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    sent = [0]
    latencies: list[float] = []
    errors: list[str] = []
    step = [max(count // 10, batch)]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while not errors and time.monotonic() < deadline:
            with lock:
                n = next(batches)
            if n >= len(bodies):
                break
            body, size = bodies[n], min(batch, start + count - (start + n * batch))
            t0 = time.perf_counter()
            conn.request("POST", "/xapi/statements", body, headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - t0
            if response.status != 200 or len(json.loads(data)) != size:
                errors.append(f"{response.status} {data[:300]!r}")
                break
            with lock:
                latencies.append(elapsed)
                sent[0] += size
                if sent[0] >= step[0]:
                    common.say(lrs_data.say_rate(label, sent[0], started))
                    step[0] += max(count // 10, batch)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu.start()
    busy0, own0 = machine_busy(), time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    python_cpu, database_cpu = cpu.stop()
    server_cpu = python_cpu + database_cpu
    # What other processes took meanwhile (not the server, its backends or these clients).
    others = machine_busy() - busy0 - server_cpu - (time.process_time() - own0)
    if errors:
        log = Path(os.environ["LEARNCITY_HOME"]) / "server.log"
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        sys.exit(f"{label}: the LRS refused a request: {errors[0]}\nserver log:\n{tail}")
    latencies.sort()
    figures = {
        "count": sent[0],
        "seconds": seconds,
        "cpu": server_cpu,
        "python_cpu": python_cpu,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "stopped_early": sent[0] < count,
        "other_cores": max(others, 0.0) / seconds,
    }
    common.say(
        lrs_data.say_rate(label, sent[0], started)
        + f", {sent[0] / server_cpu:,.0f}/CPU-s (server processes {python_cpu:,.1f} + "
        f"database {database_cpu:,.1f} CPU-s), "
        f"request p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms; other "
        f"processes used {figures['other_cores']:.2f} of the machine's cores meanwhile"
        + (" — stopped at the time limit" if figures["stopped_early"] else "")
    )
    return figures


def ceiling(figures: dict, workers: int) -> float:
    """Statements/s an idle 2-core machine could reach at this CPU cost (an extrapolation):
    each server process uses one core at most (the GIL), so `learncity serve` with one process
    has one core, with more processes two; the server and the database together have two."""
    n, cores = figures["count"], min(workers, 2)
    return min(cores * n / max(figures["python_cpu"], 1e-9), 2 * n / max(figures["cpu"], 1e-9))


def in_process(stored_rows, generator, credential, start, count) -> dict:
    """store_statements in this process (no HTTP), batches of 100, for reference."""
    from learncity.lrs.services import store_statements
    from learncity.lrs.syntax import loads_strict

    cpu0, t0 = time.process_time(), time.perf_counter()
    for first in range(start, start + count, BATCH):
        body = loads_strict(generator.batch_body(first, BATCH), "statement")
        store_statements(credential, body, version="1.0.3")
    seconds = time.perf_counter() - t0
    common.say(
        f"in-process store_statements: {count:,} in {seconds:,.1f} s = {count / seconds:,.0f}/s "
        f"(this process {time.process_time() - cpu0:,.1f} CPU-s)"
    )
    return {"count": count, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.split("\n")[4:]),
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--statements", type=int, default=1_000_000, help="sent in batches of 100")
    parser.add_argument("--singles", type=int, default=20_000, help="sent one per request")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument(
        "--server-workers",
        type=int,
        default=1,
        help="learncity serve --workers: 1 is Django's threaded server, N>1 gunicorn processes",
    )
    parser.add_argument("--learners", type=int, default=50_000, help="distinct actors")
    parser.add_argument("--max-seconds", type=float, default=1200, help="limit of the batch phase")
    parser.add_argument("--singles-max-seconds", type=float, default=300)
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="also store N statements with store_statements, no HTTP",
    )
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    common.say(
        f"LRS ingest bench: {args.statements:,} in batches of {BATCH} + {args.singles:,} singly, "
        f"{args.clients} clients, {args.server_workers} server process(es), {args.db}"
    )
    with common.bench_database(args.db) as home:
        from django.db import connection

        from learncity.access import system_actor
        from learncity.lrs.credentials import authority_for, create_credential

        institution = common.make_institution()
        credential, secret = create_credential(
            system_actor("bench"), institution, "bench platform", ["read", "write"], "1.0.3"
        )
        generator = lrs_data.Generator(args.seed, args.learners)
        lrs_data.check_against_lrs(generator, credential)
        common.say("generated statements match what the LRS stores for them (200 checked)")
        stored_rows = lrs_data.Stored(generator, authority_for(credential))
        vendor = connection.vendor
        create_bare_table(vendor)
        bare = bare_insert(stored_rows, 0, args.statements, BATCH, "100 per transaction")
        bare1 = bare_insert(stored_rows, 0, args.singles, 1, "1 per transaction")
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_bare")
        reference = None
        offset = args.statements + args.singles
        if args.in_process:
            reference = in_process(stored_rows, generator, credential, offset, args.in_process)
        connection.close()
        auth = "Basic " + base64.b64encode(f"{credential.key}:{secret}".encode()).decode()
        server, port = start_server(home, args.server_workers)
        try:
            cpu = ServerCpu(server.pid, vendor)
            batched = post_load(
                port,
                auth,
                generator,
                0,
                args.statements,
                BATCH,
                args.clients,
                args.max_seconds,
                f"HTTP batches of {BATCH}",
                cpu,
            )
            singles = post_load(
                port,
                auth,
                generator,
                args.statements,
                args.singles,
                1,
                args.clients,
                args.singles_max_seconds,
                "HTTP single statements",
                cpu,
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM lrs_statement")
            stored = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM lrs_statementindex")
            index_rows = cursor.fetchone()[0]
        expected = batched["count"] + singles["count"] + (reference or {}).get("count", 0)
        if stored != expected:
            sys.exit(f"stored {stored:,} statements, expected {expected:,}")
        common.say(f"stored {stored:,} statements with {index_rows:,} index rows")
    lines = []
    for name, figures, base in (("batch100", batched, bare), ("single", singles, bare1)):
        n = figures["count"]
        rate = figures["count"] / figures["seconds"]
        base_rate = base["count"] / base["seconds"]
        cpu_rate = figures["count"] / figures["cpu"]
        base_cpu_rate = base["count"] / base["cpu"]
        lines.append(
            f"{name}: {figures['count']:,} statements {rate:,.0f}/s "
            f"(bare {base_rate:,.0f}/s, ratio {rate / base_rate:.3f}); "
            f"{cpu_rate:,.0f}/CPU-s (bare {base_cpu_rate:,.0f}/CPU-s, "
            f"ratio {cpu_rate / base_cpu_rate:.3f}); "
            f"p50 {figures['p50_ms']:.1f} ms p95 {figures['p95_ms']:.1f} ms; "
            f"CPU per statement: server {1e6 * figures['python_cpu'] / n:,.0f} us, "
            f"total {1e6 * figures['cpu'] / n:,.0f} us, so at most "
            f"{ceiling(figures, args.server_workers):,.0f}/s on 2 idle cores (extrapolated); "
            f"other processes used {figures['other_cores']:.2f} cores"
            + (" STOPPED AT TIME LIMIT" if figures["stopped_early"] else "")
        )
    rate = batched["count"] / batched["seconds"]
    verdict = "OK" if rate >= TARGET else "MISSED TARGET"
    if vendor != "postgresql":
        verdict = "not applicable (the target is for PostgreSQL)"
    print(
        f"SUMMARY lrs_ingest_bench db={args.db} clients={args.clients} "
        f"server_workers={args.server_workers} "
        + " | ".join(lines)
        + (f" | target >= {TARGET:,}/s in batches on PostgreSQL: {verdict}"),
        flush=True,
    )


if __name__ == "__main__":
    main()
