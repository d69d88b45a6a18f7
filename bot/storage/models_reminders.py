"""Tables for reminders, calendars and nudges (filled in by the reminders work)."""
