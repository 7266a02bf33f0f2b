"""PostgreSQL fixtures shared with the store tests: a fresh schema per test."""

from tests.store.conftest import fresh_postgres_url, postgres_url

__all__ = ["fresh_postgres_url", "postgres_url"]
