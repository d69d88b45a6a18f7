"""Proactive delivery: sending messages into stored conversations, trusted and rate limited.

One outbox implementation (``outbox``, ``log``, ``backoff``), one scheduler over every
kind of message (``kinds``, ``scheduler``, ``config``, ``wiring``), the tenants' send
budget and leases (``budget``, ``leases``, ``ratelimit``) and the senders (``sender``,
``routing``, ``protocol``, ``tenant``).
"""
