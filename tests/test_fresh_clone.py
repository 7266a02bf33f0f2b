"""A fresh clone in an empty folder, with nothing beside it (no ../shared), passes its tests.

The committed HEAD is cloned into a temporary folder; a new virtual environment is made in it; the
README's two commands run there exactly as written (the test command limited to the fast subset,
`-m "not slow"`, which leaves this test out), on a machine "with only Python": PostgreSQL and Redis
point at ports nobody listens on, so their tests must skip, not fail. Minutes long: marked slow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import REQUIRE_SERVICES, free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def readme_commands(readme: str) -> list[str]:
    """The README's first two commands: its first two indented (code) lines."""
    commands = [
        line[4:] for line in readme.splitlines() if line.startswith("    ") and line.strip()
    ]
    return commands[:2]


def test_readme_puts_install_and_test_commands_first() -> None:
    install, test = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert install == "python -m pip install -e '.[test]' && bookbot demo"
    assert test == "python -m pytest"


def test_a_fresh_clone_passes_the_readmes_commands(tmp_path: Path) -> None:
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    folder = tmp_path / "empty"
    folder.mkdir()
    clone = folder / "booker"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-local", "--no-checkout", str(REPO), str(clone)],
        check=True,
    )
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", "--detach", head], check=True)
    assert sorted(path.name for path in folder.iterdir()) == ["booker"]  # nothing beside it

    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "HUBSPOT_", "BOOKBOT_", "PYTHON", "VIRTUAL_ENV"))
        and name not in ("DATABASE_URL", "REDIS_URL", REQUIRE_SERVICES)
        and not name.startswith(("TEST_", "PYTEST_"))
    }
    env |= {
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        # A machine with only Python: nobody answers where the tests look for the services.
        "TEST_POSTGRES_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/test",
        "TEST_REDIS_URL": f"redis://127.0.0.1:{free_port()}/15",
    }
    install, test = readme_commands((clone / "README.md").read_text(encoding="utf-8"))

    def sh(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", command],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )

    installed = sh(install)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    assert "Booked ✓" in installed.stdout

    tested = sh(f'{test} -m "not slow"')
    summary = tested.stdout[-4000:]
    assert tested.returncode == 0, summary + tested.stderr[-2000:]
    last = summary.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", last) and "failed" not in last and "error" not in last, last
    assert "needs PostgreSQL" in summary and "needs Redis" in summary  # skipped, and said why
