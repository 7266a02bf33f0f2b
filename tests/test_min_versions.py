"""pyproject.toml's floors for Slack's libraries and constraints-min.txt (what .ci/min-versions
installs and tests) say the same versions, so the floor that is declared is the one tested."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_declared_floors_are_the_tested_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floors = {}
    for requirement in project["project"]["dependencies"]:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?>=([0-9.]+)", requirement.strip())
        if found:
            floors[found.group(1).lower()] = found.group(2)
    pins = dict(
        line.split("==", 1)
        for line in (ROOT / "constraints-min.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert pins, "constraints-min.txt pins nothing"
    for name, version in pins.items():
        assert floors[name].split(".")[:2] == version.split(".")[:2], (name, floors[name], version)
    assert {"slack-bolt", "slack-sdk"} <= set(pins)
