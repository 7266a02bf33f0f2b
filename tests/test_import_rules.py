"""The layout's import rules, read from the source (AST), so a change that breaks one fails here.

Only rules that hold today are checked (issue 14 lists those still to come: bot/hubspot/ as a
pure API client).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# The Slack and HubSpot stand-ins (Slack double, signed requests, HubSpot sandbox, demo): only the
# sandbox/demo paths of the runtime may use them.
STAND_INS = ("bot.devtools",)
# Those paths: `bookbot sandbox` and `bookbot demo` (bot/cli.py), `--sandbox`'s in-process HubSpot
# (bot/services.py) and its consent page at Booker's own address (bot/hubspot/connect.py). Each
# imports the stand-ins inside the function that serves the path: a production run never loads them.
STAND_IN_ENTRIES = ("bot.cli", "bot.services", "bot.hubspot.connect")
# The HubSpot API client's own modules: they import nothing else of Booker.
HUBSPOT_CLIENT_CORE = ("errors", "limiter", "models", "oauth", "redact")


def module_name(path: Path, root: Path = REPO) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, eager_only: bool = False) -> list[tuple[int, list[str]]]:
    """(line, modules) for every absolute import statement in the file, wherever it is
    (functions too; with eager_only, only those run when the module is imported: not inside a
    function); `from a import b` names both `a` and `a.b` (b may be a module)."""
    found: list[tuple[int, list[str]]] = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in _eager_nodes(tree) if eager_only else ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, [alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.append((node.lineno, [node.module, *names]))
    return found


def _eager_nodes(node: ast.AST) -> list[ast.AST]:
    """The nodes below `node` that run when it runs, leaving out function (and lambda) bodies."""
    found: list[ast.AST] = []
    for child in ast.iter_child_nodes(node):
        found.append(child)
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            found.extend(_eager_nodes(child))
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

    def check(
        path: Path,
        forbidden: tuple[str, ...],
        rule: str,
        allowed: tuple[str, ...] = (),
        *,
        eager_only: bool = False,
    ) -> None:
        for line, modules in imports(path, eager_only=eager_only):
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
        if within(name, STAND_INS):
            continue
        if name in STAND_IN_ENTRIES:
            rule = "the stand-ins are imported inside the sandbox/demo function, never eagerly"
            check(path, STAND_INS, rule, eager_only=True)
        else:
            check(path, STAND_INS, "the runtime uses the stand-ins only on sandbox/demo paths")
    for path in sources("handlers", root):
        check(path, STAND_INS, "handlers never use the Slack or HubSpot stand-ins")
    return found


def test_the_import_rules_hold() -> None:
    assert violations() == []


def in_function(line: str) -> str:
    return f"\n\ndef _x() -> None:\n    {line}\n"


@pytest.mark.parametrize(
    ("path", "added", "rule"),
    [
        ("bot/flow.py", in_function("import slack_bolt"), "Bolt is used by"),
        (
            "bot/blocks.py",
            in_function("from handlers.payloads import meta_from_body"),
            "handlers -> bot only",
        ),
        (
            "bot/timeparse/result.py",
            in_function("from bot.i18n import Catalog"),
            "bot/timeparse stands alone",
        ),
        (
            "bot/hubspot/models.py",
            in_function("from bot.config import Settings"),
            "client core stands alone",
        ),
        ("handlers/home.py", in_function("from bot.devtools import slack_double"), "stand-ins"),
        (
            "bot/flow.py",
            in_function("from bot.devtools.sandbox import Fault"),
            "only on sandbox/demo paths",
        ),
        ("bot/flow.py", "\nimport bot.devtools.demo\n", "only on sandbox/demo paths"),
        ("bot/services.py", "\nfrom bot.devtools.sandbox import Fault\n", "never eagerly"),
        (
            "bot/hubspot/connect.py",
            "\nif True:\n    from bot.devtools.sandbox.oauth import AUTHORIZE_PATH\n",
            "never eagerly",
        ),
    ],
)
def test_each_rule_catches_a_violation(tmp_path: Path, path: str, added: str, rule: str) -> None:
    """A copy of the tree with one forbidden import added fails exactly that rule."""
    for package in ("bot", "handlers"):
        for source in sources(package):
            target = tmp_path / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / path
    broken.write_text(broken.read_text(encoding="utf-8") + added)
    found = violations(tmp_path)
    assert len(found) == 1 and rule in found[0], found
