"""The worker pool hands a place freed by a discarded worker to a request already waiting (store/workers.py)."""

import subprocess
import threading
import time
from multiprocessing import Pipe

from helsegraf.store.workers import WorkerPool


class _Engine:
    """Stands in for the replica: each fork is a real child process (so kill works) with a real pipe."""

    generation = 0

    def __init__(self):
        self.children: list[subprocess.Popen] = []

    def fork(self):
        child = subprocess.Popen(["sleep", "60"])
        self.children.append(child)
        ours, _theirs = Pipe()
        return child.pid, ours, self.generation


def test_a_waiting_request_gets_the_place_of_a_discarded_worker():
    engine = _Engine()
    pool = WorkerPool(1, engine)  # type: ignore[arg-type]
    try:
        busy = pool.acquire(time.monotonic() + 5)
        got: list = []
        waiter = threading.Thread(target=lambda: got.append(pool.acquire(time.monotonic() + 30)))
        waiter.start()
        time.sleep(0.2)  # the waiter is waiting: the one place is taken
        assert not got
        started = time.monotonic()
        pool.discard(busy)  # replaced (memory) or stopped (time limit): nothing goes back to the idle queue
        waiter.join(timeout=5)
        assert got and got[0] is not busy
        assert time.monotonic() - started < 2, "the waiter forked into the freed place instead of waiting 30 s"
        assert len(engine.children) == 2
    finally:
        pool.close()
        for child in engine.children:
            child.kill()
            child.wait()
