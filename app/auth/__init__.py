"""Organisations (a tree of any depth), units, users, roles, login and API tokens."""
