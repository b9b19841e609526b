"""One page of a list, as every listing answers it (`{"items", "total", "page", "per_page"}`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int  # of the whole list
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_json(self, item_json: Callable[[T], Any]) -> dict[str, Any]:
        """The page as every listing answers it, each item by `item_json`."""
        return {
            "items": [item_json(item) for item in self.items],
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
        }
