"""Every start-up problem is one line naming the setting and the fix, exit 2, nothing listening,
no traceback, no secret; `bookbot check` finds the same problems (plus services that do not
answer) below a table no log line interrupts. Real `python -m bot` processes."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.services import free_port
from tests.test_cli import run

BOT_TOKEN = "xoxb-1-startup-secret-bot-token"
SIGNING_SECRET = "signing-secret-startup-0123456789"
HUBSPOT_TOKEN = "pat-na1-startup-secret-hubspot"
DB_PASSWORD = "db-pass-w0rd-secret"
REDIS_PASSWORD = "redis-pass-w0rd-secret"
URL_PASSWORD = "url-pass-w0rd-secret"
SECRETS = (BOT_TOKEN, SIGNING_SECRET, HUBSPOT_TOKEN, DB_PASSWORD, REDIS_PASSWORD, URL_PASSWORD)


def closed_port() -> int:
    return free_port()  # bound, then released: nobody listens there


@dataclass
class Case:
    """One bad configuration: what to set, and what the one line must name."""

    id: str
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    names: tuple[str, ...] = ()
    unset: tuple[str, ...] = ()


CASES = [
    Case(
        "no HubSpot credentials",
        unset=("HUBSPOT_ACCESS_TOKEN",),
        names=("HUBSPOT_ACCESS_TOKEN", "--sandbox"),
    ),
    Case("garbage DATABASE_URL", {"DATABASE_URL": "garbage://"}, names=("DATABASE_URL",)),
    Case(
        "unreachable PostgreSQL",
        {"DATABASE_URL": f"postgresql://booker:{DB_PASSWORD}@127.0.0.1:{closed_port()}/booker"},
        names=("DATABASE_URL", "running"),
    ),
    Case(
        "SQLite in a folder that does not exist",
        {"DATABASE_URL": "sqlite:////nonexistent-folder-of-booker/ledger.db"},
        names=("DATABASE_URL", "folder"),
    ),
    Case("REDIS_URL not a URL", {"REDIS_URL": "notaurl"}, names=("REDIS_URL", "redis://")),
    Case(
        "REDIS_URL with a password and a bad scheme",
        {"REDIS_URL": f"rediss+x://:{REDIS_PASSWORD}@127.0.0.1:6379/0"},
        names=("REDIS_URL",),
    ),
    Case("port out of range", args=["--port", "99999"], names=("--port 99999", "65535")),
    Case("host that is not an address", args=["--host", "no-such-host.invalid"], names=("--host",)),
    Case("SLACK_API_URL not a URL", {"SLACK_API_URL": "not-a-url"}, names=("SLACK_API_URL",)),
    Case(
        "HUBSPOT_BASE_URL not a URL",
        {"HUBSPOT_BASE_URL": "not-a-url"},
        names=("HUBSPOT_BASE_URL", "https://api.hubapi.com"),
    ),
    Case(
        "HUBSPOT_BASE_URL with credentials, not http(s)",
        {"HUBSPOT_BASE_URL": f"ftp://user:{URL_PASSWORD}@api.hubapi.com"},
        names=("HUBSPOT_BASE_URL",),
    ),
    Case(
        "SLACK_CLIENT_ID without SLACK_CLIENT_SECRET",
        {"SLACK_CLIENT_ID": "1234.5678"},
        names=("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"),
    ),
    Case(
        "BOOKBOT_LANGUAGES unknown",
        {"BOOKBOT_LANGUAGES": "en,fr"},
        names=("BOOKBOT_LANGUAGES", "fr"),
    ),
    Case(
        "HUBSPOT_CLIENT_ID without HUBSPOT_CLIENT_SECRET",
        {"HUBSPOT_CLIENT_ID": "hub-app-1"},
        names=("HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET"),
    ),
]


def good_env(tmp_path: Path) -> dict[str, str]:
    """A configuration `bookbot run` accepts (HTTP mode, SQLite in tmp_path)."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.db'}",
    }


def env_of(case: Case, tmp_path: Path) -> dict[str, str]:
    env = good_env(tmp_path) | case.env
    for name in case.unset:
        env.pop(name)
    return env


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def bookbot(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> Callable[..., Done]:
    """`bookbot ARGS` in this process (the table is long; a process each would cost ~2 s), with
    exactly `env` as its Booker settings, in tmp_path; output read at the file descriptors."""
    from bot.cli import main

    def call(args: list[str], env: dict[str, str]) -> Done:
        monkeypatch.chdir(tmp_path)
        for name in list(os.environ):
            if name.startswith(("SLACK_", "HUBSPOT_", "BOOKBOT_", "DATABASE_URL", "REDIS_URL")):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        capfd.readouterr()
        try:
            code = main(args)
        except SystemExit as exit:
            code = int(exit.code or 0)
        finally:
            root.handlers[:], root.level = handlers, level
        out, err = capfd.readouterr()
        return Done(code, out, err)

    return call


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_run_refuses_a_bad_setting_with_one_line_and_exit_2(
    case: Case, tmp_path: Path, bookbot: Callable[..., Done]
) -> None:
    port = ["--port", str(free_port())] if "--port" not in case.args else []
    done = bookbot(["run", "--host", "127.0.0.1", *port, *case.args], env_of(case, tmp_path))

    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("bookbot: ")
    for name in case.names:
        assert name in lines[0], lines[0]
    assert "Traceback" not in output and "listening" not in output
    assert_no_secret(output)


REAL_PROCESS_CASES = [
    case
    for case in CASES
    if case.id
    in (
        "no HubSpot credentials",
        "garbage DATABASE_URL",
        "unreachable PostgreSQL",
        "SQLite in a folder that does not exist",
        "port out of range",
    )
]


@pytest.mark.parametrize("case", REAL_PROCESS_CASES, ids=[c.id for c in REAL_PROCESS_CASES])
def test_the_real_command_prints_only_that_line(case: Case, tmp_path: Path) -> None:
    """What in-process calls cannot show: nothing printed at interpreter exit (e.g. a driver's
    thread answering a closed event loop)."""
    port = ["--port", str(free_port())] if "--port" not in case.args else []
    done = run(
        ["run", "--host", "127.0.0.1", *port, *case.args], env=env_of(case, tmp_path), cwd=tmp_path
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert_no_secret(done.stderr)


@pytest.mark.parametrize("port", ["99999", "in use"])
def test_the_sandbox_alone_refuses_a_bad_port_with_one_line(
    port: str, bookbot: Callable[..., Done]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        number = port if port != "in use" else str(taken.getsockname()[1])
        done = bookbot(["sandbox", "--host", "127.0.0.1", "--port", number], {})
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith(f"bookbot: --port {number} ")


def test_a_port_in_use_is_one_line_before_anything_listens(
    tmp_path: Path, bookbot: Callable[..., Done]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = bookbot(["run", "--host", "127.0.0.1", "--port", str(port)], good_env(tmp_path))
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"bookbot: --port {port} is in use on 127.0.0.1: stop what listens there or choose "
        "another --port"
    ]


CHECK_CASES = [case for case in CASES if case.id != "BOOKBOT_LANGUAGES unknown"]


@pytest.mark.parametrize("case", CHECK_CASES, ids=[case.id for case in CHECK_CASES])
def test_check_finds_what_run_refuses(
    case: Case, tmp_path: Path, bookbot: Callable[..., Done]
) -> None:
    args = list(case.args)  # check takes the same --host/--port
    if "--port" not in args:
        args += ["--port", str(free_port())]
    refused = bookbot(["run", "--host", "127.0.0.1", *args], env_of(case, tmp_path))
    env = env_of(case, tmp_path) | {
        # No network in tests: an unreachable HubSpot and Slack answer at once.
        "SLACK_API_URL": case.env.get("SLACK_API_URL", f"http://127.0.0.1:{closed_port()}/api/"),
        "HUBSPOT_BASE_URL": case.env.get("HUBSPOT_BASE_URL", f"http://127.0.0.1:{closed_port()}"),
    }
    done = bookbot(["check", "--host", "127.0.0.1", *args], env)

    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == ""  # no log line between the table's rows
    run_line = refused.stderr.strip().removeprefix("bookbot: ")
    assert run_line in done.stdout.splitlines(), (run_line, done.stdout)
    assert "Traceback" not in done.stdout and "try again" not in done.stdout
    assert_no_secret(done.stdout)


def test_check_reports_unreachable_redis_and_masks_urls(
    tmp_path: Path, bookbot: Callable[..., Done]
) -> None:
    env = good_env(tmp_path) | {
        "REDIS_URL": f"redis://:{REDIS_PASSWORD}@127.0.0.1:{closed_port()}/0",
        "SLACK_API_URL": f"http://bot:{URL_PASSWORD}@127.0.0.1:{closed_port()}/api/",
        "HUBSPOT_BASE_URL": f"http://hub:{URL_PASSWORD}@127.0.0.1:{closed_port()}?key=x",
    }
    done = bookbot(["check"], env)

    assert done.returncode == 1
    assert done.stderr == ""
    assert "Redis                 FAILED" in done.stdout
    assert any(
        line.startswith("REDIS_URL redis://:***@127.0.0.1:") and "does not answer" in line
        for line in done.stdout.splitlines()
    ), done.stdout
    assert "SLACK_API_URL         http://bot:***@127.0.0.1:" in done.stdout
    assert "HUBSPOT_BASE_URL      http://hub:***@127.0.0.1:" in done.stdout
    assert "?***" in done.stdout
    assert "try again" not in done.stdout  # one line per problem, not HubSpot's retry advice
    assert_no_secret(done.stdout)


def test_check_says_the_database_and_redis_answer(
    tmp_path: Path, bookbot: Callable[..., Done]
) -> None:
    from tests.services import need_redis

    env = good_env(tmp_path) | {"REDIS_URL": need_redis()}
    done = bookbot(["check", "--sandbox"], env)

    assert "Database              ok (not created yet: `bookbot run` creates it)" in done.stdout
    assert "Redis                 ok" in done.stdout
    assert not (tmp_path / "ledger.db").exists()  # check created nothing


def test_check_reports_half_set_oauth_as_such(tmp_path: Path, bookbot: Callable[..., Done]) -> None:
    done = bookbot(["check", "--sandbox"], good_env(tmp_path) | {"SLACK_CLIENT_ID": "1.2"})
    assert "install               OAuth half set" in done.stdout
    assert "single token" not in done.stdout


# --- a good start ------------------------------------------------------------------------------
@contextlib.contextmanager
def running(args: list[str], env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "HUBSPOT_", "BOOKBOT_", "DATABASE_URL", "REDIS_URL"))
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env=clean | env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def read_until(process: subprocess.Popen[str], marker: str, seconds: float = 60) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never came: {lines}")


def test_sandbox_run_warns_once_and_bolt_says_nothing_about_the_token(tmp_path: Path) -> None:
    env = good_env(tmp_path)
    env.pop("HUBSPOT_ACCESS_TOKEN")
    port = free_port()
    with running(
        ["run", "--sandbox", "--host", "127.0.0.1", "--port", str(port)], env, tmp_path
    ) as process:
        lines = read_until(process, "Application startup complete")

    warnings = [line for line in lines if "WARNING" in line]
    assert len(warnings) == 1, lines
    assert "--sandbox" in warnings[0] and "not to HubSpot" in warnings[0]
    assert not any("will be unused" in line for line in lines), lines
    assert_no_secret("\n".join(lines))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run"], ("HUBSPOT_ACCESS_TOKEN", "DATABASE_URL", "REDIS_URL", "--host", "--sandbox")),
        (["check"], ("DATABASE_URL", "Redis", "--sandbox", "--port")),
        (["sandbox"], ("(default: 8080)", "(default: 127.0.0.1)")),
        (["keys", "rotate"], ("remove the old keys from BOOKBOT_ENCRYPTION_KEY yourself",)),
    ],
)
def test_help_says_what_the_command_needs(
    args: list[str], expected: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    with pytest.raises(SystemExit) as exit:
        main([*args, "--help"])
    assert exit.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in expected:
        assert words in text, (words, text)
