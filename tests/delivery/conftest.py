"""Fixtures for the outbox and scheduler tests: the reminder tests' (tests/reminders/conftest.py).

* ``clock``: a FakeClock on Monday 23 November 2026, 10:00 UTC.
* ``database``: a migrated SQLite database (and PostgreSQL when ``MEDBOT_TEST_POSTGRES_URL``
  is set); ``second_database`` another ``Database`` on it, as another replica would have.
* ``connector``: the local fake Bot Framework connector; ``conversation_id`` a stored Teams
  conversation whose serviceUrl is the connector.

The idea notification tests (test_idea_notifications.py) take the ideas' fixtures instead.
"""

from tests.reminders.conftest import (  # noqa: F401 - fixtures, found by name
    clock,
    connector,
    conversation_id,
    conversations,
    second_database,
    settings,
)
