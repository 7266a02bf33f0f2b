"""Booker: book HubSpot meetings from Slack."""

__version__ = "0.1.0"
