"""Microseconds per parse of an incoming activity: msrest ``Activity().deserialize`` vs bot/botframework/fast_activity.py.

Run from the project root:  .venv/bin/python bench/activity_parse.py [--number 5000] [--repeat 5]

Three typical bodies as Teams sends them (tests/activities.py): a personal-chat
question, a channel message with an ``<at>`` mention entity, and an Adaptive Card
Action.Submit (a ``value`` dict, no text). Each body is parsed ``--number`` times per
round, and the best of ``--repeat`` rounds is shown (other work on the machine only
ever makes a round slower). Both parsers are checked to agree before timing. Not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from botbuilder.schema import Activity  # noqa: E402

from bot.botframework.fast_activity import Unsupported, activity_from_json, model_from_json  # noqa: E402
from tests.activities import teams_channel_mention, teams_message  # noqa: E402

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def bodies() -> dict[str, dict[str, Any]]:
    return {
        "personal message": teams_message(SERVICE_URL, "hvad er en amr"),
        "channel @mention": teams_channel_mention(SERVICE_URL, "hvad er en AMR?"),
        "card submit (value)": teams_message(
            SERVICE_URL, "", value={"action": "idea.submit", "title": "Bedre lys", "body": "Lamper i kantinen", "anonymous": False}
        ),
    }


def best_us(statement: Any, number: int, repeat: int) -> float:
    return min(timeit.repeat(statement, number=number, repeat=repeat)) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=5000, help="parses per round (default 5000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best is shown (default 5)")
    args = parser.parse_args()

    print(f"{'body':<22} {'msrest µs':>10} {'fast µs':>9} {'speed-up':>9}")
    for name, body in bodies().items():
        # Round-trip through JSON, as aiohttp's request.json() hands it over.
        body = json.loads(json.dumps(body))
        try:
            model_from_json(Activity, body)
        except Unsupported as exc:
            print(f"{name}: the fast path declines ({exc}); the figure would be msrest's")
        fast_result = activity_from_json(body)
        if fast_result.serialize() != Activity().deserialize(body).serialize():
            raise SystemExit(f"{name}: the parsers disagree")
        slow = best_us(lambda: Activity().deserialize(body), args.number, args.repeat)  # noqa: B023
        fast = best_us(lambda: activity_from_json(body), args.number, args.repeat)  # noqa: B023
        print(f"{name:<22} {slow:>10.1f} {fast:>9.1f} {slow / fast:>8.1f}x")


if __name__ == "__main__":
    main()
