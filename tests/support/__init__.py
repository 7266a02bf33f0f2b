"""Helpers shared by several test packages (instead of importing another suite's conftest)."""
