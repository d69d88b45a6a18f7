"""``medbot chat``: talk to the bot in the terminal, through the same dialogs."""

from __future__ import annotations

import argparse
import asyncio
import sys

PROMPT = "du> "
EXIT_WORDS = {"exit", "quit", ":q", "farvel"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chat",
        help="tal med botten i terminalen",
        description="En samtale med MED-bot i terminalen. Skriv »farvel« eller tryk Ctrl-D for at slutte.",
    )
    parser.set_defaults(handler=run)


def _write(text: str) -> None:
    print(f"\nMED-bot> {text}\n", flush=True)


async def _chat() -> int:
    from bot.clock import SystemClock  # heavy imports only when the command runs
    from bot.console import ConsoleAdapter
    from bot.runtime import build_runtime
    from bot.settings import Settings

    settings = Settings.from_env()
    runtime = build_runtime(settings, clock=SystemClock())
    await runtime.start()
    adapter = ConsoleAdapter(_write)
    loop = asyncio.get_running_loop()
    try:
        await adapter.start(runtime.bot)
        while True:
            if sys.stdin.isatty():
                print(PROMPT, end="", flush=True)
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            if line.strip().lower() in EXIT_WORDS:
                break
            await adapter.say(runtime.bot, line.rstrip("\n"))
    finally:
        await runtime.close()
    return 0


def run(_args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_chat())
    except KeyboardInterrupt:
        return 130
