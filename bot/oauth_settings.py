"""OAuth-mode settings checks, kept free of database imports so `bookbot run` can refuse a bad
configuration before anything else loads."""

from __future__ import annotations

from bot.config import Settings
from bot.crypto import EncryptionKeyError, TokenCipher


def cipher_from_settings(settings: Settings) -> TokenCipher:
    """The cipher for tokens at rest; EncryptionKeyError (one clear line) if the key is unusable."""
    if settings.encryption_key is None:
        raise EncryptionKeyError(
            "BOOKBOT_ENCRYPTION_KEY is not set: OAuth mode keeps each workspace's tokens "
            "encrypted with it; create one with `bookbot keys new`"
        )
    return TokenCipher.from_setting(settings.encryption_key.get_secret_value())


def oauth_problems(settings: Settings) -> list[str]:
    """What keeps OAuth mode from starting, one line each (bot/server.py settings_problems)."""
    problems = []
    if not settings.slack_client_id or settings.slack_client_secret is None:
        problems.append(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (Basic Information > App "
            "Credentials): set both to install in many workspaces, or neither and use "
            "SLACK_BOT_TOKEN for one"
        )
        return problems  # the rest of OAuth mode's needs only matter once it is chosen
    if settings.socket_mode:
        problems.append(
            "SLACK_CLIENT_ID/SLACK_CLIENT_SECRET (installs in many workspaces) need HTTP mode: "
            "unset SLACK_APP_TOKEN"
        )
    try:
        cipher_from_settings(settings)
    except EncryptionKeyError as error:
        problems.append(str(error))
    if settings.public_url is None:
        problems.append(
            "BOOKBOT_PUBLIC_URL is not set: installs need the address Slack sends people back "
            "to, e.g. https://booker.example.com (its /slack/oauth_redirect must be a Redirect "
            "URL under OAuth & Permissions)"
        )
    elif not settings.public_url.startswith(("https://", "http://")):
        problems.append(
            "BOOKBOT_PUBLIC_URL must start with https:// (e.g. https://booker.example.com)"
        )
    return problems


__all__ = ["cipher_from_settings", "oauth_problems"]
