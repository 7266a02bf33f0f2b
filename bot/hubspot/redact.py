"""Keep personal data and secrets out of logs."""

from __future__ import annotations

import hashlib


def mask_email(email: str) -> str:
    """`ana@acme.com` -> `a***@acme.com`: enough to tell guests apart in a log, no more."""
    local, at, domain = email.strip().rpartition("@")
    if not at:
        return "***"
    if not local:
        return f"***@{domain}"
    return f"{local[0]}***@{domain}"


def token_fingerprint(token: str) -> str:
    """A stable, non-reversible id for a token (limiter keys, logs): never the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]
