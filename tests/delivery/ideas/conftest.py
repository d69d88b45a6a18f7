"""The ideas' fixtures (tests/ideas/conftest.py) for the idea notification tests: a clock in
March 2026 (ideas for budget 2027) instead of the reminder tests' one, the service on
Jammerbugt, its components, a chat with the whole bot, and the people."""

from tests.ideas.conftest import (  # noqa: F401 - fixtures, found by name
    chat_factory,
    clock,
    components,
    jonas,
    mette,
    profile,
    secretary,
    service,
)
