"""Benchmarks: `python -m bench [NAME] [options]`.

Each benchmark measures the application against a floor (the same work done with the bare libraries,
in the same run on the same machine) and writes bench/results/NAME.json. A benchmark is a module
with `main(argv) -> int`; list it here to make it runnable.
"""

from __future__ import annotations

BENCHMARKS: dict[str, str] = {
    "intake": "bench.intake",
    "onestop": "bench.onestop",
    "signing": "bench.signing",
    "routing": "bench.routing",
    "search": "bench.search",
    "tasks": "bench.tasks",
}
