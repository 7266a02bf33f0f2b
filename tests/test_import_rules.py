"""The layout's import rules, read from the source (AST), so a change that breaks one fails here.

Only rules that hold today are checked (issue 14 lists those still to come: bot/hubspot/ as a
pure API client, the stand-ins in a package of their own).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# The Slack and HubSpot stand-ins: only the sandbox/demo paths of the runtime may use them.
STAND_INS = (
    "bot.slack_double",
    "bot.slack_double_functions",
    "bot.slack_requests",
    "bot.sandbox",
    "bot.demo",
    "bot.demo_links",
)
# The HubSpot API client's own modules: they import nothing else of Booker.
HUBSPOT_CLIENT_CORE = ("errors", "limiter", "models", "oauth", "redact")


def module_name(path: Path, root: Path = REPO) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, list[str]]]:
    """(line, modules) for every absolute import statement in the file, wherever it is
    (functions too); `from a import b` names both `a` and `a.b` (b may be a module)."""
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, [alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.append((node.lineno, [node.module, *names]))
    return found


def sources(package: str, root: Path = REPO) -> list[Path]:
    return sorted(
        path
        for path in (root / package.replace(".", "/")).rglob("*.py")
        if "migrations" not in path.parts
    )


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def violations(root: Path = REPO) -> list[str]:
    """Every import that breaks a rule, as "file:line imports module (rule)"."""
    found: list[str] = []

    def check(path: Path, forbidden: tuple[str, ...], rule: str, allowed: tuple[str, ...] = ()):
        for line, modules in imports(path):
            bad = [m for m in modules if within(m, forbidden) and not within(m, allowed)]
            if bad:
                found.append(f"{path.relative_to(root)}:{line} imports {bad[0]} ({rule})")

    for path in sources("bot", root):
        name = module_name(path, root)
        if name not in ("bot.app", "bot.server"):
            check(path, ("slack_bolt",), "Bolt is used by bot/app.py, bot/server.py, handlers/")
        if name != "bot.app":
            check(path, ("handlers",), "handlers -> bot only; bot/app.py registers them")
        if within(name, ("bot.timeparse",)):
            check(path, ("bot",), "bot/timeparse stands alone", allowed=("bot.timeparse",))
        if name in {f"bot.hubspot.{core}" for core in HUBSPOT_CLIENT_CORE}:
            check(path, ("bot",), "the HubSpot client core stands alone", allowed=("bot.hubspot",))
    for path in sources("handlers", root):
        check(path, STAND_INS, "handlers never use the Slack or HubSpot stand-ins")
    return found


def test_the_import_rules_hold() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("path", "line", "rule"),
    [
        ("bot/flow.py", "import slack_bolt", "Bolt is used by"),
        ("bot/blocks.py", "from handlers.payloads import meta_from_body", "handlers -> bot only"),
        ("bot/timeparse/result.py", "from bot.i18n import Catalog", "bot/timeparse stands alone"),
        ("bot/hubspot/models.py", "from bot.config import Settings", "client core stands alone"),
        ("handlers/home.py", "from bot.slack_double import SlackDouble", "stand-ins"),
    ],
)
def test_each_rule_catches_a_violation(tmp_path: Path, path: str, line: str, rule: str) -> None:
    """A copy of the tree with one forbidden import added fails exactly that rule."""
    for package in ("bot", "handlers"):
        for source in sources(package):
            target = tmp_path / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / path
    broken.write_text(broken.read_text(encoding="utf-8") + f"\n\ndef _x() -> None:\n    {line}\n")
    found = violations(tmp_path)
    assert len(found) == 1 and rule in found[0], found
