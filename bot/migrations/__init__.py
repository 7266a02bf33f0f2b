"""Alembic migrations for the bookings ledger, shipped inside the package.

Applied by ``Store.open(url)`` (``migrate=True``). For writing a new revision by hand:
``DATABASE_URL=sqlite:///dev.db alembic -c bot/migrations/alembic.ini revision -m "what changes"``.
"""
