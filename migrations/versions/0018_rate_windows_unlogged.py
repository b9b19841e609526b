"""rate windows unlogged on PostgreSQL

Revision ID: 0018
Revises: 0017
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Counting a request then writes no WAL and its commit waits for no disk: the counts are worth a minute.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_windows SET UNLOGGED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_windows SET LOGGED")
