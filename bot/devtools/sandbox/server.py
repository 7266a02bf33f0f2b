"""Serve the sandbox on a port: what `bookbot sandbox --port P` runs."""

from __future__ import annotations

import uvicorn

from bot.devtools.sandbox.app import create_sandbox_app
from bot.devtools.sandbox.config import SandboxConfig


def serve(port: int, host: str = "127.0.0.1", config: SandboxConfig | None = None) -> None:
    """Run the sandbox until interrupted; configuration from BOOKBOT_SANDBOX_* when not given."""
    app = create_sandbox_app(config if config is not None else SandboxConfig.from_env())
    # access_log off: request lines would carry guest data in query strings to the console.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
