"""Suite-wide test settings.

The scheduler loop is the one place that waits real time; tests call its ``tick``
with a fake clock instead, so the loop is off for every runtime a test builds.
Slack credentials from a developer's shell must not reach the tests either.
"""

import os

os.environ["MEDBOT_SCHEDULER"] = "off"
for _name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "MEDBOT_SLACK_API_URL", "MicrosoftAppId", "MicrosoftAppPassword"):
    os.environ.pop(_name, None)
