"""Task pages: assigning from the document page, my tasks, one task with its actions, the processing slip."""

from __future__ import annotations

from flask import Blueprint

task_pages = Blueprint("task_pages", __name__)
