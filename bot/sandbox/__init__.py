"""The built-in HubSpot Scheduler Meetings API v3 stand-in (an ASGI app) for offline use."""

from bot.sandbox.app import create_sandbox_app
from bot.sandbox.config import Fault, SandboxConfig, parse_faults
from bot.sandbox.state import SandboxState

__all__ = ["Fault", "SandboxConfig", "SandboxState", "create_sandbox_app", "parse_faults"]
