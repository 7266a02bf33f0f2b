"""Thin Slack listeners: translate payloads, call bot/, render with bot.blocks."""
