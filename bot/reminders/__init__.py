"""Personal reminders, MED calendars, subscriptions and nudges.

Modules: ``store`` (reminders, subscriptions), ``calendar_store`` (calendar events),
``ics`` (.ics import/export), ``messages`` (what a delivered reminder or nudge says),
``nudges`` (planning nudge rows), ``kinds`` (reminders and nudges as kinds of the
delivery scheduler, :mod:`bot.delivery`), ``service`` (what the dialogs and the CLI
call), ``config`` and ``wiring`` (building it all in the composition root).
"""
