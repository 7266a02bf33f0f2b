"""Tokens at rest: Fernet encryption with key rotation (BOOKBOT_ENCRYPTION_KEY).

The variable holds one or more Fernet keys separated by commas. The first key encrypts; every key
decrypts, so an operator rotates by putting a new key first, running `rotate` over stored values
(``TokenCipher.rotate``), then dropping the old key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class EncryptionKeyError(ValueError):
    """BOOKBOT_ENCRYPTION_KEY is missing or holds something that is not a Fernet key."""


class UndecryptableError(ValueError):
    """A stored value was written with a key that is no longer configured (or was tampered with)."""


class TokenCipher:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise EncryptionKeyError(
                "BOOKBOT_ENCRYPTION_KEY is empty; create a key with `bookbot keys new`"
            )
        fernets: list[Fernet] = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode("ascii")))
            except (ValueError, UnicodeEncodeError) as error:
                # Never echo the key itself: it is a secret even when malformed.
                raise EncryptionKeyError(
                    f"BOOKBOT_ENCRYPTION_KEY key #{position} is not a Fernet key "
                    "(32 url-safe base64-encoded bytes); create one with `bookbot keys new`"
                ) from error
        self._fernet = MultiFernet(fernets)

    @classmethod
    def from_setting(cls, value: str | None) -> TokenCipher:
        """Keys from the comma-separated environment value."""
        keys = [part.strip() for part in (value or "").split(",") if part.strip()]
        return cls(keys)

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode("ascii")

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise UndecryptableError(
                "a stored token cannot be decrypted with the configured BOOKBOT_ENCRYPTION_KEY"
            ) from error

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt a stored value with the first (newest) key."""
        try:
            return self._fernet.rotate(ciphertext.encode("ascii")).decode("ascii")
        except InvalidToken as error:
            raise UndecryptableError(
                "a stored token cannot be decrypted with the configured BOOKBOT_ENCRYPTION_KEY"
            ) from error
