"""The leader's dashboard page: per unit and per person over a period, with its chart and its XLSX export."""

from __future__ import annotations

from flask import Blueprint

dashboard_pages = Blueprint("dashboard_pages", __name__)
