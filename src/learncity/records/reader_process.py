"""Run a generator in a forked child process and receive what it yields, one item at a time.

A big import spends as long reading and checking its file as writing it; with the reading in a
second process the two overlap, on two cores. The child gets a copy of everything the parent
had set up (settings, keys, translations) by fork, does no database work, and sends each item
through a pipe as soon as it is ready; a pipe holds little, so the child runs at most about one
item ahead and memory stays flat. An exception in the child is raised again in the parent, and
the child is stopped if the parent stops listening (error, crash, Ctrl-C).
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable, Iterator

from django.utils.translation import gettext_lazy as _

from learncity.errors import LearnCityError

_READER_STOPPED = _(
    "The file could not be read to the end, so nothing was imported. Upload it again; if this "
    "happens again, tell the platform's administrators."
)


class ReaderFailed(LearnCityError):
    """The reading process stopped without saying why (killed, or its error would not pickle)."""

    status = 500
    code = "spreadsheet.reader_failed"


def can_fork() -> bool:
    """Fork only where it is safe: a platform with fork, and no other thread in this process
    (a thread holding a lock at fork time would leave the child's copy locked for ever)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _child(make_items: Callable[[], Iterator], sender) -> None:
    try:
        for item in make_items():
            sender.send(("item", item))
        sender.send(("end", None))
    except BaseException as error:  # noqa: BLE001 - sent to the parent, which raises it
        try:
            sender.send(("error", error))
        except Exception:  # noqa: BLE001 - an error that does not pickle: send its text
            sender.send(("error", ReaderFailed(_READER_STOPPED, details=traceback.format_exc())))
    finally:
        sender.close()


def items_from_child(make_items: Callable[[], Iterator]) -> Iterator:
    """Yield what ``make_items()`` yields, computed in a forked child process."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(make_items, sender), daemon=True)
    process.start()
    sender.close()  # the parent's copy, so a dead child shows as end of file
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise ReaderFailed(
                    _READER_STOPPED, details={"exit_code": process.exitcode}
                ) from None
            if kind == "end":
                return
            if kind == "error":
                raise payload
            yield payload
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join()
