"""Den gode idé on the server side: the service (storage, routing, status lifecycle,
audit), the notification outbox and its delivery, stale-idea nudges, CSV export and
the wiring into the runtime (:mod:`bot.ideas.wiring`).

Import the submodules directly; this package module stays empty.
"""
