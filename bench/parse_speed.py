"""Speed and memory of the time engine (prints, never asserts).

    python bench/parse_speed.py [--rounds N]

- warm: p50/p99/max per `parse` call over every phrase of our corpora, after warm_up()
  (goal: p99 <= 2 ms);
- hostile: 100 KB inputs (digits, repeated words, spaces, punctuation): p99 per call (goal:
  <= 50 ms; refused as `too_long` before any pattern runs), and the reading itself with that
  guard lifted at 10 KB and 40 KB, to show it grows linearly with the text;
- fresh process: import + TimeParser() + first parse, with and without warm_up() first
  (so the cost start-up pays is visible, and what the first Slack request would pay without it);
- peak RSS of a worker process that imports the engine, warms it and parses the corpus.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "booking_phrases.jsonl"
ADVERSARIAL = REPO / "tests" / "data" / "adversarial_phrases.jsonl"
HOSTILE = {
    "digits": "7",
    "digits and spaces": "12 ",
    "phone numbers": "+55 11 98765-4321 ",
    "repeated words": "tomorrow ",
    "repeated phrase": "3pm tomorrow at 4 ",
    "clock-like": "1:",
    "slashes": "1/",
    "spaces": " ",
    "letters": "a",
    "emoji": "\U0001f600 ",
}

FRESH_PROCESS = """
import json, resource, sys, time
started = time.perf_counter()
from datetime import datetime
from bot.timeparse import TimeParser
imported = time.perf_counter()
parser = TimeParser()
built = time.perf_counter()
if sys.argv[1] == "warm":
    parser.warm_up()
warmed = time.perf_counter()
now = datetime.fromisoformat("2026-11-26T10:00:00-03:00")
parser.parse(sys.argv[2], now=now, tz="America/Sao_Paulo", locale="pt-BR")
first = time.perf_counter()
print(json.dumps({"import": imported - started, "build": built - imported,
                  "warm_up": warmed - built, "first_parse": first - warmed,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

WORKER = """
import json, resource
from datetime import datetime
from bot.timeparse import warm_up
parser = warm_up()
rows = [json.loads(line) for line in open(%r, encoding="utf-8")]
for _ in range(3):
    for row in rows:
        parser.parse(row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"],
                     locale=row["locale"])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def fresh(mode: str, phrase: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, mode, phrase],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(output))


def hostile(parser: Any, rounds: int) -> None:
    from bot.timeparse import parser as engine

    now = datetime.fromisoformat("2026-11-26T10:00:00-03:00")
    timings: list[float] = []
    for unit in HOSTILE.values():
        text = (unit * (100_000 // len(unit) + 1))[:100_000]
        for _ in range(rounds):
            started = time.perf_counter()
            parser.parse(text, now=now, tz="America/Sao_Paulo", locale="pt-BR")
            timings.append(time.perf_counter() - started)
    timings.sort()
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)] * 1000
    print(f"hostile 100 KB inputs ({len(HOSTILE)} kinds x {rounds} rounds, {len(timings)} calls)")
    print(f"  p50 {statistics.median(timings) * 1000:.3f} ms   p99 {p99:.3f} ms")
    print("reading with the length guard lifted (linear growth: 40 KB should cost ~4x 10 KB):")
    saved = engine.MAX_TEXT_LENGTH
    engine.MAX_TEXT_LENGTH = 10**9
    try:
        for name in ("digits", "repeated words", "repeated phrase", "spaces"):
            unit = HOSTILE[name]
            costs = []
            for size in (10_000, 40_000):
                text = (unit * (size // len(unit) + 1))[:size]
                started = time.perf_counter()
                parser.parse(text, now=now, tz="America/Sao_Paulo", locale="pt-BR")
                costs.append((time.perf_counter() - started) * 1000)
            print(
                f"  {name}: 10 KB {costs[0]:.0f} ms, 40 KB {costs[1]:.0f} ms "
                f"(x{costs[1] / max(costs[0], 1e-6):.1f})"
            )
    finally:
        engine.MAX_TEXT_LENGTH = saved


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rounds", type=int, default=20)
    options = arguments.parse_args()

    from bot.timeparse import warm_up

    parser = warm_up()
    rows = [
        json.loads(line)
        for path in (CORPUS, ADVERSARIAL)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and len(json.loads(line)["text"]) <= 500
    ]
    calls = [
        (row["text"], datetime.fromisoformat(row["now"]), row["tz"], row["locale"]) for row in rows
    ]
    timings: list[float] = []
    cpu: list[float] = []
    slowest: dict[str, float] = {}
    for _ in range(options.rounds):
        for text, now, zone, locale in calls:
            started, started_cpu = time.perf_counter(), time.process_time()
            parser.parse(text, now=now, tz=zone, locale=locale)
            elapsed = time.perf_counter() - started
            cpu.append(time.process_time() - started_cpu)
            timings.append(elapsed)
            slowest[text] = max(slowest.get(text, 0.0), elapsed)
    timings.sort()
    cpu.sort()
    p50 = statistics.median(timings) * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    print(f"warm parse over {len(calls)} phrases x {options.rounds} rounds ({len(timings)} calls)")
    print(f"  p50 {p50:.3f} ms   p99 {p99:.3f} ms   max {timings[-1] * 1000:.3f} ms")
    # CPU time leaves out the moments the process waited for a core (a busy shared machine).
    cpu_p99 = cpu[int(len(cpu) * 0.99) - 1] * 1000
    print(f"  CPU time per call: p50 {statistics.median(cpu) * 1000:.3f} ms   p99 {cpu_p99:.3f} ms")
    worst = sorted(slowest.items(), key=lambda item: -item[1])[:5]
    print("  slowest phrases: " + ", ".join(f"{text!r} {ms * 1000:.2f} ms" for text, ms in worst))
    hostile(parser, options.rounds)

    for phrase in ("amanhã às 16h", "asdf qwerty"):  # grammar only; dateparser fallback
        cold = fresh("cold", phrase)
        warm = fresh("warm", phrase)
        print(f"fresh process, phrase {phrase!r}:")
        print(
            f"  without warm_up: import {cold['import'] * 1000:.0f} ms, TimeParser() "
            f"{cold['build'] * 1000:.0f} ms, first parse {cold['first_parse'] * 1000:.1f} ms"
        )
        print(
            f"  with warm_up:    warm_up {warm['warm_up'] * 1000:.0f} ms (start-up), "
            f"first parse {warm['first_parse'] * 1000:.1f} ms"
        )
    rss = subprocess.run(
        [sys.executable, "-c", WORKER % str(CORPUS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"peak RSS of a worker (engine imported, warmed, corpus parsed 3x): {float(rss):.1f} MB")


if __name__ == "__main__":
    main()
