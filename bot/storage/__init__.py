"""MED-bot's storage: the database handle, models, migrations and the stores built on them.

Import the submodules directly (``bot.storage.db``, ``bot.storage.state``, ...); this
package module stays empty so that importing the models does not pull in the engine.
"""
