"""Runs the bot's command line with a probe of its event loop: how late a short timer fires.

    python bench/loop_probe.py LAG_FILE serve --host 127.0.0.1 --port 3978

bench/monday.py starts the bot this way. Every ``INTERVAL`` the probe sleeps on the
bot's own event loop and writes one line to ``LAG_FILE``: the ``time.monotonic()`` at
which it woke and how much later than asked it woke (seconds). A callback that holds
the loop, or a thread that holds the GIL, shows as lag. The bench reads the lines of
the time span it measures (``time.monotonic()`` is one clock for every process).
Nothing of the bot is changed: ``asyncio.run`` is wrapped so that the probe runs beside
the coroutine the command line runs.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

INTERVAL = 0.005
FLUSH_EVERY = 1.0


async def probe(path: Path) -> None:
    lines: list[str] = []
    flushed = time.monotonic()
    with path.open("w", encoding="utf-8") as out:
        try:
            while True:
                asked = time.monotonic()
                await asyncio.sleep(INTERVAL)
                woke = time.monotonic()
                lines.append(f"{woke:.6f} {woke - asked - INTERVAL:.6f}\n")
                if woke - flushed >= FLUSH_EVERY:
                    out.writelines(lines)
                    out.flush()
                    lines.clear()
                    flushed = woke
        finally:
            out.writelines(lines)


def main() -> int:
    path = Path(sys.argv[1])
    run = asyncio.run

    def probed_run(main: Coroutine[Any, Any, T], **kwargs: Any) -> T:
        async def beside() -> T:
            task = asyncio.get_running_loop().create_task(probe(path))
            try:
                return await main
            finally:
                task.cancel()

        return run(beside(), **kwargs)

    asyncio.run = probed_run
    from bot.cli import main as cli

    return int(cli(sys.argv[2:]) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
