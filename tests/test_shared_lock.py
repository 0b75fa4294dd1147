"""The readers-writer lock that keeps an escalation search and an in-place load update apart."""

from __future__ import annotations

import threading
import time

from graphcoord.threads import SharedLock


def test_shared_holders_run_together_and_an_exclusive_one_waits_for_them() -> None:
    lock = SharedLock()
    events: list[str] = []
    inside = threading.Barrier(3)

    def search(name: str) -> None:
        with lock.shared():
            inside.wait(timeout=5)  # both searches hold it at once
            time.sleep(0.05)
            events.append(f"{name} done")

    def update() -> None:
        inside.wait(timeout=5)
        with lock.exclusive():
            events.append("update")

    threads = [threading.Thread(target=search, args=(n,)) for n in ("a", "b")]
    threads.append(threading.Thread(target=update))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert events[-1] == "update"
    assert sorted(events[:2]) == ["a done", "b done"]


def test_a_waiting_exclusive_holder_goes_before_later_shared_ones() -> None:
    lock = SharedLock()
    events: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with lock.shared():
            first_in.set()
            time.sleep(0.15)
        events.append("first out")

    def update() -> None:
        with lock.exclusive():
            events.append("update")

    def later() -> None:
        with lock.shared():
            events.append("later")

    a = threading.Thread(target=first)
    a.start()
    first_in.wait(5)
    b = threading.Thread(target=update)
    b.start()
    time.sleep(0.05)  # the update is waiting now
    c = threading.Thread(target=later)
    c.start()
    for thread in (a, b, c):
        thread.join(5)
    assert events.index("update") < events.index("later")
