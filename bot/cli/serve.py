"""``medbot serve``: run the bot's web service."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

#: Seconds that requests under way get to finish on shutdown.
SHUTDOWN_TIMEOUT = 10.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="start botten (POST /api/messages, GET /healthz)",
        description="Start MED-bot som webservice. Indstillinger læses fra miljøvariable "
        "(MicrosoftAppId, MicrosoftAppPassword, MEDBOT_DATABASE_URL, MEDBOT_ORG, …).",
    )
    parser.add_argument("--port", type=int, default=None, help="port (standard 3978)")
    parser.add_argument("--host", default=None, help="adresse at lytte på (standard 0.0.0.0)")
    parser.set_defaults(handler=run)


async def _settle_memory(_app: object) -> None:
    """After start-up: what was loaded (code, knowledge base, schema) stays for the life of
    the process, so move it out of the garbage collector's way (``gc.freeze``). Without
    this every full collection walks those objects again, tens of milliseconds in the
    middle of a turn: bench/turns.py at 20 conversations, p99 100–196 ms without, 70–73 ms
    with, and ~15 % less CPU per turn."""
    import gc

    gc.collect()
    gc.freeze()


def _use_event_loop(name: str) -> str:
    """Install uvloop's event loop policy when asked for and installed; return the loop used.

    uvloop (libuv) runs the same asyncio code with a faster loop and transports (it was
    one of the hot-path steps measured with bench/turns.py; see the README)."""
    import asyncio

    if name == "uvloop":
        try:
            import uvloop
        except ImportError:
            logging.getLogger("medbot").warning("uvloop is not installed; using asyncio's event loop")
            return "asyncio"
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        return "uvloop"
    return "asyncio"


async def _serve(
    app: web.Application,
    host: str,
    port: int,
    *,
    access_log: logging.Logger | None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve ``app`` on ``host``:``port`` until SIGINT or SIGTERM (or until ``stop`` is set).

    As ``web.run_app`` does, but the application's cleanup runs also when its startup
    fails part-way, so the cleanup contexts opened before the failure (the database, the
    HTTP sessions) close again; ``web.run_app`` skips the cleanup then.
    """
    from aiohttp import web

    loop = asyncio.get_running_loop()
    signals: tuple[signal.Signals, ...] = ()
    if stop is None:
        stop = asyncio.Event()
        signals = (signal.SIGINT, signal.SIGTERM)
        for signum in signals:
            loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(app, access_log=access_log, shutdown_timeout=SHUTDOWN_TIMEOUT)
    try:
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        logging.getLogger("medbot").info("listening on %s", site.name)
        await stop.wait()
    finally:
        await runner.cleanup()
        for signum in signals:
            loop.remove_signal_handler(signum)


def run(args: argparse.Namespace) -> int:
    from bot.app import create_app
    from bot.settings import Settings

    settings = Settings.from_env()
    logging.getLogger().setLevel(logging.DEBUG if args.verbose else logging.INFO)
    loop_name = _use_event_loop(settings.event_loop)
    app = create_app(settings)
    app.on_startup.append(_settle_memory)
    logging.getLogger("medbot").info("event loop: %s; access log %s", loop_name, "on" if settings.access_log else "off")
    access_log = logging.getLogger("aiohttp.access") if settings.access_log else None
    asyncio.run(_serve(app, args.host or settings.host, args.port or settings.port, access_log=access_log))
    return 0
