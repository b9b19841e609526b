"""`flask archive ...`: the archive's commands."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from minio.error import MinioException

from ..errors import DomainError
from ..extensions import db
from .importer import BATCH_SIZE, Rejection, import_manifest, importing_user
from .manifest import Manifest, read_manifest

archive_cli = AppGroup("archive", help="The archive: records files, registers, bulk import.")

# Rejections shown on the terminal; the report has them all.
SHOWN_REJECTIONS = 20


@archive_cli.command("import")
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "username", metavar="USERNAME", help="The clerk or archivist the documents are created by.")
@click.option(
    "--organisation", "organisation_code", metavar="CODE", help="The organisation imported into (default: the user's)."
)
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing (but the report).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the rejected rows (CSV). Default: MANIFEST's name with .rejected.csv, beside it "
    "(in the current folder when the manifest's cannot be written).",
)
@click.option("--allow-outside", is_flag=True, help="Accept files outside the manifest's folder.")
@click.option(
    "--batch-size", default=BATCH_SIZE, show_default=True, type=click.IntRange(1, 10000), help="Rows per commit."
)
def import_command(
    manifest_path: Path,
    username: str | None,
    organisation_code: str | None,
    dry_run: bool,
    report_path: Path | None,
    allow_outside: bool,
    batch_size: int,
) -> None:
    """Import past documents listed in MANIFEST, a CSV file (UTF-8; comma or semicolon) with a header row and
    one document per row: direction, document_type, number, notation, issued_on, issuer, subject, signer_name,
    signer_position, recipients, urgency, secrecy, page_count, received_on, register_number, notes, file (the
    PDF, relative to MANIFEST's folder), organisation. Vietnamese headers (chiều, loại văn bản, số, ký hiệu,
    ngày ban hành, trích yếu, tệp, ...) are read as well.

    Incoming documents are registered and outgoing ones issued, with their own numbers; they get a register
    number only when the row gives one. Rows imported before are skipped: run the same manifest again to
    finish an interrupted import. Rows are committed in batches.

    \b
    Exit codes:
      0  every row imported, or imported before
      2  some rows rejected (listed in the report), the others imported
      1  stopped: the manifest cannot be read, the user or organisation is wrong,
         or the file store or the database stopped answering (the batches
         finished before are kept; run the same command again)
    """
    if not username:
        _fail("--as USERNAME is required: the clerk or archivist the documents are created by.")
    try:
        manifest = read_manifest(manifest_path)
        actor, organisation = importing_user(username, organisation_code)
        db.session.commit()  # end the read: no transaction is held while files are read and stored
    except DomainError as err:
        db.session.rollback()
        _fail(err.text())
    if manifest.unknown_columns:
        click.echo(f"columns not read: {', '.join(manifest.unknown_columns)}", err=True)

    imported = already = done = 0
    rejected: list[Rejection] = []
    stopped: str | None = None
    stopped_line: int | None = None
    try:
        with click.progressbar(length=len(manifest.rows), label="importing", show_pos=True) as bar:
            for batch in import_manifest(
                manifest, actor, organisation, allow_outside=allow_outside, dry_run=dry_run, batch_size=batch_size
            ):
                if dry_run:
                    db.session.rollback()
                else:
                    db.session.commit()
                imported += len(batch.imported)
                already += len(batch.already)
                rejected.extend(batch.rejected)
                done += batch.rows
                bar.update(batch.rows)
    except DomainError as err:  # the file store stopped answering, most likely
        db.session.rollback()
        stopped = err.text()
        stopped_line = err.details.get("line")
    except (sa.exc.SQLAlchemyError, MinioException, OSError) as err:
        db.session.rollback()
        stopped = f"{type(err).__name__}: {err}"
    except KeyboardInterrupt:
        db.session.rollback()
        stopped = "interrupted"

    target = report_path or _default_report(manifest_path)
    report_failed = None
    if rejected or report_path or target.exists():  # an old report is not left to mislead
        try:
            _write_report(target, manifest, rejected)
        except OSError as err:
            report_failed = f"the report could not be written to {target}: {err.strerror or err}"

    if dry_run:
        click.echo(
            f"dry run, nothing written: would import {imported}, already imported {already}, rejected {len(rejected)}"
        )
    else:
        click.echo(f"imported {imported}, already imported {already}, rejected {len(rejected)}")
    for rejection in rejected[:SHOWN_REJECTIONS]:
        for problem in rejection.problems:
            click.echo(f"line {rejection.line}: {problem}", err=True)
    if len(rejected) > SHOWN_REJECTIONS:
        click.echo(f"... and {len(rejected) - SHOWN_REJECTIONS} more rejected rows", err=True)
    if rejected and not report_failed:
        click.echo(f"rejected rows are listed in {target}")
    if report_failed:
        click.echo(report_failed, err=True)
    if stopped is not None:
        if stopped_line is None and done < len(manifest.rows):
            stopped_line = manifest.rows[done].line  # the first row of the batch that was not finished
        click.echo(f"STOPPED{f' at line {stopped_line}' if stopped_line else ''}: {stopped}", err=True)
        click.echo(
            f"Nothing of the unfinished batch was written; the {imported} documents this run imported before it "
            "are kept. Run the same command again to import the rest.",
            err=True,
        )
        sys.exit(1)
    if report_failed:
        sys.exit(1)
    sys.exit(2 if rejected else 0)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _default_report(manifest_path: Path) -> Path:
    name = manifest_path.stem + ".rejected.csv"
    folder = manifest_path.resolve().parent
    return folder / name if os.access(folder, os.W_OK) else Path.cwd() / name


def _cell(value: str) -> str:
    """A value as the report shows it: what a spreadsheet would run as a formula is prefixed to stay text."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def _write_report(path: Path, manifest: Manifest, rejected: list[Rejection]) -> None:
    """The rejected rows with their line and reasons, then the row's values under the manifest's own headers,
    in UTF-8 with a byte-order mark (so a spreadsheet shows Vietnamese) and the manifest's delimiter."""
    width = max([len(manifest.headers), *(len(r.row.cells) for r in rejected)])
    headers = [*manifest.headers, *[""] * (width - len(manifest.headers))]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=manifest.delimiter)
        writer.writerow(["line", "reason", *headers])
        for rejection in rejected:
            cells = [*rejection.row.cells, *[""] * (width - len(rejection.row.cells))]
            writer.writerow([rejection.line, _cell(rejection.reason), *(_cell(c) for c in cells)])
