"""Import every model module so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from bot.storage import models, models_ideas, models_reminders  # noqa: F401
from bot.storage.models import Base

metadata = Base.metadata
