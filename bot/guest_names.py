"""A guest's first and last name guessed from their email address, offered as editable
initial values: `ana.souza@acme.com` -> ("Ana", "Souza").

Only a guess people can see and change; nothing is guessed from shared mailboxes
(`sales@`, `info@`) or from local parts that do not look like names (digits, one letter,
a single word such as `asouza`).
"""

from __future__ import annotations

import re

# Mailboxes that name a team or a role, not a person.
ROLE_MAILBOXES = frozenset(
    {
        "admin", "billing", "contact", "contato", "contacto", "hello", "help", "hi", "info",
        "inbox", "mail", "marketing", "no-reply", "noreply", "office", "sales", "support",
        "team", "vendas", "ventas", "suporte", "soporte", "hola", "ola", "oi", "jobs", "hr",
        "careers", "press", "finance", "accounts", "webmaster", "postmaster", "test",
    }
)  # fmt: skip
# Particles written in lower case inside a surname: "Maria da Silva", "Juan de la Cruz".
PARTICLES = frozenset({"da", "das", "de", "del", "della", "di", "do", "dos", "du", "la", "le",
                       "van", "von", "der", "den", "y", "e"})  # fmt: skip
_SEPARATORS = re.compile(r"[._]+")
_NAME_PART = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")


def _capitalised(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def suggest_names(email: str) -> tuple[str, str]:
    """(first, last) guessed from the email's local part; ("", "") when it names no person."""
    local = email.strip().rsplit("@", 1)[0] if "@" in email else ""
    local = local.split("+", 1)[0].strip().casefold()
    if not local or local in ROLE_MAILBOXES:
        return "", ""
    words = [word.strip("-") for word in _SEPARATORS.split(local) if word.strip("-")]
    if not words or not all(_NAME_PART.match(word) for word in words):
        return "", ""
    if len(words) < 2 or len(words[0]) < 2 or words[0] in ROLE_MAILBOXES:
        # One word ("asouza", "ana") may be a name or initial+surname: no guess.
        return "", ""
    first = _capitalised(words[0])
    rest = words[1:]
    if any(len(word) < 2 and word not in PARTICLES for word in rest):
        # "ana.s@…": an initial, not a surname.
        return first, ""
    last = " ".join(word if word in PARTICLES else _capitalised(word) for word in rest)
    if last and last.split()[0] in PARTICLES and len(last.split()) == 1:
        last = ""
    return first, last
