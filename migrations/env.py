"""Alembic environment: runs inside the Flask app (Flask-Migrate), against the app's own engine."""

from __future__ import annotations

from alembic import context
from flask import current_app

config = context.config
database = current_app.extensions["migrate"].db
metadata = database.metadata


def _skip_empty_autogenerate(ctx, revision, directives) -> None:  # type: ignore[no-untyped-def]
    """`flask db migrate` with nothing to change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def _render_item(type_: str, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Our UTCDateTime is a Python-side wrapper; in the database it is a timestamp with time zone."""
    from app.extensions import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_offline() -> None:
    context.configure(url=str(database.engine.url), target_metadata=metadata, literal_binds=True,
                      render_as_batch=True)  # fmt: skip
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", _skip_empty_autogenerate)
    options.setdefault("compare_type", True)
    options.setdefault("render_item", _render_item)
    options.setdefault("compare_server_default", True)
    with database.engine.connect() as connection:
        # SQLite alters tables by copying them (batch mode); PostgreSQL alters them in place.
        options["render_as_batch"] = connection.dialect.name == "sqlite"
        context.configure(
            connection=connection,
            target_metadata=metadata,
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
