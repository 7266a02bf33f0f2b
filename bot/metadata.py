"""A modal's private_metadata, signed: Slack hands it back verbatim, and Booker reads who asked
(team, user, channel) from it, so a request carrying one Booker did not write is refused.

The key is derived from SLACK_SIGNING_SECRET (Socket Mode: SLACK_APP_TOKEN), so every worker of
one deployment shares it and nobody without the secret can make a valid one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

from itsdangerous import BadSignature, Signer

from bot.config import Settings

_SEPARATOR: Final = "~"
# What the signature adds to a private_metadata (separator + base64 SHA-256).
SEAL_CHARS: Final = 1 + 43


class MetadataSealer:
    def __init__(self, secret: bytes) -> None:
        key = hmac.new(secret, b"bookbot private_metadata v1", hashlib.sha256).digest()
        self._signer = Signer(
            key, salt="bookbot.private_metadata", sep=_SEPARATOR, digest_method=hashlib.sha256
        )

    def seal(self, text: str) -> str:
        return self._signer.sign(text).decode("utf-8")

    def open(self, sealed: str) -> str | None:
        """The text Booker signed, or None when `sealed` is not exactly that."""
        try:
            return self._signer.unsign(sealed).decode("utf-8")
        except (BadSignature, UnicodeError):
            return None


def sealer_for(settings: Settings) -> MetadataSealer:
    for secret in (settings.slack_signing_secret, settings.slack_app_token):
        if secret is not None and secret.get_secret_value().strip():
            return MetadataSealer(secret.get_secret_value().strip().encode())
    # No secret at all (the offline demo): a key of this process's own.
    return MetadataSealer(secrets.token_bytes(32))
