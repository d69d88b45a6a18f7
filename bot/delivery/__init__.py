"""Proactive delivery: sending messages into stored conversations, trusted and rate limited."""
