"""Running pyHanko's coroutines from synchronous code, also where an event loop is already running."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine `make()` to completion: on this thread when no loop runs here, else on a fresh one.

    pyHanko's synchronous wrappers call `asyncio.run`, which fails inside a running loop (an async server,
    or a test tool that keeps one open); the coroutine is only created where it is awaited.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()
