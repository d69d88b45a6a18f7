"""The test harnesses. Which one to use:

* :mod:`tests.harness.chat` — **for every chat-level test**: a user talking to the real
  bot (handler, router, dialogs, SqlStorage) with a fake clock, in a personal or group
  chat, restartable on the same database; it reads the replies, the dialog stack, the
  reminders and the ideas. It also holds the shared constants (START, SERVICE_URL, USER,
  BOT) and the reply readers the other two use.
* :mod:`tests.harness.teams_http` — the transport: the aiohttp app over HTTP with a fake
  Bot Framework connector (status codes, authentication, bodies, what goes on the wire).
* :mod:`tests.harness.slack_http` — the transport for Slack: signed requests to the Slack
  routes and a fake Slack Web API.
"""
