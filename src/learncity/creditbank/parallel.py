"""The recognition batch in several processes, so a multi-core machine uses every core.

Each worker process takes one share of the learners (every n-th block of consecutive learner
ids, engine.SHARE_STRIPE to a block) and runs the ordinary batch on it
(`engine.recognise_undecided(share=...)`): workers never lock the same learner or extend the
same ledger chain, so they do not wait for each other on PostgreSQL, and on SQLite they overlap
deciding with the other's writing. Each chunk is
still one transaction, so a crash in any worker loses at most its chunk in flight and a re-run
finishes the rest. Python's GIL is why these are processes and not threads.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from django.db import connection, connections

from learncity.creditbank.engine import RunReport, recognise_undecided

POLL_SECONDS = 0.5


def default_workers() -> int:
    """More workers than cores, because each spends part of its time waiting: on PostgreSQL
    for its server backend (two per core: 4 on 2 cores did 1,043,000 outcomes a minute where 2
    did 924,000), on SQLite for its turn to write (one more than the cores: 3 on 2 cores did
    1,071,000 where 2 did 943,000; figures in bench/README.md)."""
    if not _can_fork():
        return 1
    cores = max(1, os.cpu_count() or 1)
    return 2 * cores if connection.vendor == "postgresql" else cores + 1


def _can_fork() -> bool:
    """Fork is needed (the children inherit the configured Django), and an in-memory SQLite
    database cannot be shared between processes."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        return bool(name) and ":memory:" not in name and "mode=memory" not in name
    return connection.vendor == "postgresql"


def _backend_cpu_seconds() -> float:
    """CPU of this connection's PostgreSQL backend when the server runs on this machine."""
    if connection.vendor != "postgresql":
        return 0.0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker(share: tuple[int, int], dry_run: bool, outcome_filter, messages) -> None:
    try:
        started = time.process_time()

        def progress(examined: int) -> None:
            messages.put(("progress", share[0], examined))

        report = recognise_undecided(
            dry_run=dry_run,
            progress=progress,
            share=share,
            outcome_filter=outcome_filter,
            large=True,
        )
        report.cpu_seconds = time.process_time() - started + _backend_cpu_seconds()
        messages.put(("done", share[0], report))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        messages.put(("failed", share[0], traceback.format_exc()))
    finally:
        connections.close_all()


class WorkerFailed(RuntimeError):
    """A worker process stopped with an error (its traceback is the message)."""


def recognise_in_parallel(
    workers: int | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    outcome_filter: dict | None = None,
) -> RunReport:
    """Decide every undecided outcome (or those of ``outcome_filter``, e.g. one import batch)
    with `workers` processes (default: see default_workers)."""
    workers = default_workers() if workers is None else workers
    if workers <= 1 or not _can_fork():
        return recognise_undecided(
            dry_run=dry_run,
            progress=progress,
            outcome_filter=outcome_filter,
            large=True,
        )
    connections.close_all()  # the children must open their own connections
    context = multiprocessing.get_context("fork")
    messages = context.Queue()
    processes = [
        context.Process(
            target=_worker, args=((k, workers), dry_run, outcome_filter, messages), daemon=True
        )
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    examined = [0] * workers
    reports: dict[int, RunReport] = {}
    try:
        while len(reports) < workers:
            try:
                kind, part, payload = messages.get(timeout=POLL_SECONDS)
            except queue_module.Empty:
                _check_alive(processes, reports)
                continue
            if kind == "failed":
                raise WorkerFailed(payload)
            if kind == "progress":
                examined[part] = payload
            else:
                reports[part] = payload
                examined[part] = payload.examined
            if progress:
                progress(sum(examined))
    finally:
        for process in processes:
            if process.is_alive() and len(reports) < workers:
                process.terminate()
            process.join()
    total = RunReport(dry_run=dry_run, workers=workers)
    for report in reports.values():
        total.examined += report.examined
        total.recognised += report.recognised
        total.to_review += report.to_review
        total.cpu_seconds += report.cpu_seconds
    return total


def _check_alive(processes, reports: dict[int, RunReport]) -> None:
    for part, process in enumerate(processes):
        if part not in reports and not process.is_alive() and process.exitcode not in (None, 0):
            raise WorkerFailed(f"recognition worker {part} stopped (exit code {process.exitcode})")
