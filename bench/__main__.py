"""`python -m bench` runs every benchmark; `python -m bench NAME [options]` runs one.

With no name, any options given are handed to every benchmark (for example `--count 50`).
"""

from __future__ import annotations

import importlib
import sys

from bench import BENCHMARKS

USAGE = "usage: python -m bench [NAME] [options]   (python -m bench NAME --help for a benchmark's options)"


def _names() -> str:
    return ", ".join(sorted(BENCHMARKS))


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"}:
        print(USAGE)
        print(f"benchmarks: {_names()}")
        return 0
    if argv and not argv[0].startswith("-"):
        name, rest = argv[0], argv[1:]
        if name not in BENCHMARKS:
            print(f"unknown benchmark {name!r}; available: {_names()}", file=sys.stderr)
            print(USAGE, file=sys.stderr)
            return 2
        chosen = [name]
    else:
        chosen, rest = sorted(BENCHMARKS), argv
    status = 0
    for name in chosen:
        module = importlib.import_module(BENCHMARKS[name])
        status = max(status, module.main(list(rest)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
