"""Two worker processes claiming the same submissions at the same moment: one wins each."""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections import Counter

import pytest

from tests.store._claim_worker import Outcome, claim_in_lockstep

ROUNDS = 15


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_two_processes_claiming_the_same_keys_create_each_exactly_once(
    backend: str, request: pytest.FixtureRequest
) -> None:
    # Both workers start on an empty database, so they also race to migrate it.
    database_url: str = request.getfixturevalue(
        "fresh_postgres_url" if backend == "postgresql" else "fresh_sqlite_url"
    )
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    keys = [f"V{round_}:same-submission" for round_ in range(ROUNDS)]
    workers = [
        context.Process(target=claim_in_lockstep, args=(database_url, keys, barrier, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes: list[Outcome] = []
    deadline = time.monotonic() + 120
    while len(outcomes) < 2 * ROUNDS and time.monotonic() < deadline:
        try:
            outcomes.append(results.get(timeout=0.5))
        except queue.Empty:
            if not any(worker.is_alive() for worker in workers) and results.empty():
                break
    for worker in workers:
        worker.join(timeout=30)
        if worker.is_alive():
            worker.terminate()

    errors = [detail for key, detail in outcomes if key == "error"]
    assert errors == []
    assert [worker.exitcode for worker in workers] == [0, 0]
    created_per_key = Counter(key for key, created in outcomes if created)
    seen_per_key = Counter(key for key, _ in outcomes)
    assert created_per_key == dict.fromkeys(keys, 1)
    assert seen_per_key == dict.fromkeys(keys, 2)
