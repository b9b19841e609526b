"""`flask onestop ...`: the one-stop desk's commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from .catalogue import import_catalogue

onestop_cli = AppGroup("onestop", help="The one-stop desk: the procedures catalogue.")


@onestop_cli.command("import-procedures")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every procedure and save none.")
def import_procedures(path: Path, dry_run: bool) -> None:
    """Import procedures into the catalogue from FILE: JSON (a list of procedures as the API takes them) or CSV
    (UTF-8, comma or semicolon; a header row, one procedure per row: code, name, field, organisation, channels,
    statutory_days, fees, papers, steps, active; Vietnamese headers as well). A procedure already in the
    catalogue is replaced by the one with its code.

    \b
    Exit codes:
      0  every procedure saved
      2  some rejected (listed), the others saved
      1  the file cannot be read: nothing saved
    """
    try:
        report = import_catalogue(path, dry_run=dry_run)
    except DomainError as err:
        db.session.rollback()
        click.echo(f"error: {err.text()}", err=True)
        sys.exit(1)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if report.unknown_columns:
        click.echo(f"columns not read: {', '.join(report.unknown_columns)}", err=True)
    for rejected in report.rejected:
        click.echo(f"rejected {rejected.where} {rejected.code}: {'; '.join(rejected.reasons)}", err=True)
    verb = "would be" if dry_run else "were"
    click.echo(f"{report.made} procedures {verb} added, {report.replaced} replaced, {len(report.rejected)} rejected")
    sys.exit(2 if report.rejected else 0)
