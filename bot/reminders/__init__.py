"""Personal reminders, MED calendars, subscriptions, nudges and their trusted delivery.

Modules: ``store`` (reminders, subscriptions), ``calendar_store`` (calendar events),
``outbox`` (claiming with leases, the delivery log), ``ics`` (.ics import/export),
``messages`` (what a delivered reminder or nudge says), ``nudges`` (planning nudge rows),
``scheduler`` (the tick), ``service`` (what the dialogs and the CLI call), ``config``
and ``wiring`` (building it all in the composition root).
"""
