"""signing: sign and validate a 1-page and a 50-page PDF through the service layer and the HTTP API, against bare
pyHanko on the same PDF with the same key, in the same run.

Bare pyHanko signs with the same loaded key a visible PAdES B-B signature in a new field at the same place with
the same appearance page (pyHanko's own StaticStampStyle over an imported page), and validates with a
ValidationContext holding the same trust root and CRL. The app's signing adds what a real signature needs:
the issue fields, the signing time on the appearance, the new file version in the object store, the audit
event; its validation reads the file from the store and keeps the report. The HTTP API is served by gunicorn
(one threaded worker, keep-alive) on 127.0.0.1, called one request at a time: these are latencies (medians),
not throughput.
Validation through the API is POST /api/v1/verify with the PDF as the body; the same as a multipart form, and
validating a stored document again (GET .../signatures?refresh=1, which also reads it back from the store and
keeps the new report) are printed too.

The floor is stock pyHanko, called as its documentation shows: it measures the room for the signature with a
dummy signature each time (the app learns it once per signer and level, app/signing/pdf.py). The app installs
a faster reader for PDF hex strings into pyHanko (app/signing/pdfread.py), so the bare calls run with
pyHanko's own reader put back; bare pyHanko with the app's reader is printed as well, to show how much of the
difference that reader makes.

Targets: signing through the API at most 1.5x bare pyHanko, validating at most 1.3x.

    .venv/bin/python -m bench signing [--runs N]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import BenchmarkFailed, Result, bearer_token, gunicorn, object_store, run_and_report

NAME = "signing"
SIGN_TARGET = 1.5
VALIDATE_TARGET = 1.3


def stock(run: Callable[[int], object]) -> Callable[[int], object]:
    """`run` with pyHanko's own hex-string reader instead of the app's."""
    from app.signing import pdfread

    def with_stock_reader(index: int) -> object:
        pdfread.uninstall()
        try:
            return run(index)
        finally:
            pdfread.install()

    return with_stock_reader


def median_ms(run: Callable[[int], object], runs: int, warmup: int = 2) -> float:
    for index in range(warmup):
        run(index)
    samples = []
    for index in range(warmup, warmup + runs):
        start = time.perf_counter()
        run(index)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _pdf(pages: int) -> bytes:
    from app.documents.rendering import DocumentLayout, render_document

    return render_document(
        DocumentLayout(
            organisation="Ủy ban nhân dân tỉnh Thử Nghiệm",
            number_line="",
            place="Thử Nghiệm",
            type_name="Quyết định",
            subject="Về việc ban hành quy chế (bản đo hiệu năng)",
            body=["Điều khoản thử nghiệm có dấu tiếng Việt, lặp lại cho đủ trang. " * 6] * 4,
            signer_position="Phó Chủ tịch",
            signer_name="Lê Hoàng Nam",
            recipients=["Lưu: VT"],
        ),
        pages=pages,
    )


class Bench:
    """An app on a fresh SQLite file and bucket, with a leader, a clerk, the built-in CA and drafts to sign."""

    def __init__(self, workdir: Path, store: Any) -> None:
        import secrets

        from flask_migrate import upgrade

        from app import create_app
        from config import Config

        self.app = create_app(
            Config(),
            {
                "SECRET_KEY": secrets.token_hex(32),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'signing.db'}",
                "S3_ENDPOINT": store.endpoint,
                "S3_ACCESS_KEY": store.access_key,
                "S3_SECRET_KEY": store.secret_key,
                "S3_SECURE": store.secure,
                "S3_BUCKET": store.new_bucket_name("bench-signing"),
            },
        )
        self.environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir / 'signing.db'}",
            "S3_ENDPOINT": store.endpoint,
            "S3_ACCESS_KEY": store.access_key,
            "S3_SECRET_KEY": store.secret_key,
            "S3_SECURE": "1" if store.secure else "0",
            "S3_BUCKET": self.app.config["S3_BUCKET"],
            "INSTANCE_DIR": str(workdir),
            "SECRET_KEY": self.app.config["SECRET_KEY"],  # the sealed keys are opened with it
        }
        self.password = "bench-" + secrets.token_hex(8)
        with self.app.app_context():
            upgrade()
            self._people()

    def _people(self) -> None:
        from app.auth.service import create_organisation, create_user
        from app.extensions import db
        from app.signing import credentials
        from app.signing.demo import signature_png
        from app.signing.service import set_signature_image

        org = create_organisation(
            None, code="000.00.00.H57", name="Ủy ban nhân dân tỉnh Thử Nghiệm", abbreviation="UBND", place="Thử Nghiệm"
        )
        leader = create_user(
            None,
            org.id,
            {
                "username": "leader",
                "full_name": "Lê Hoàng Nam",
                "position": "Phó Chủ tịch",
                "roles": ["leader", "specialist"],
                "password": self.password,
            },
        )
        credentials.init_authority("CA đo hiệu năng")
        credentials.issue_for_user(leader)
        set_signature_image(leader, signature_png(leader.full_name))
        db.session.commit()
        self.leader_id = leader.id

    def drafts(self, pdf: bytes, count: int) -> list[int]:
        from app.auth.models import User
        from app.documents.schemas import DraftInput
        from app.documents.service import create_draft
        from app.documents.uploads import Upload
        from app.extensions import db

        ids = []
        with self.app.app_context():
            leader = db.session.get(User, self.leader_id)
            for n in range(count):
                doc = create_draft(
                    leader,
                    DraftInput(document_type="QĐ", notation="QĐ-UBND", subject=f"Bản đo hiệu năng {n}"),
                    Upload("du-thao.pdf", pdf + b"\\n%" + str(n).encode() + b"\\n"),
                )
                ids.append(doc.id)
            db.session.commit()
        return ids

    def signed_bytes(self, document_id: int) -> bytes:
        from app.documents.models import Document
        from app.extensions import db
        from app.storage.service import read_blob

        with self.app.app_context():
            return read_blob(db.session.get(Document, document_id).main_file.blob_sha256)


# --- Bare pyHanko -----------------------------------------------------------------------------------------


def bare_signer(bench: Bench) -> tuple[Any, bytes, Any]:
    """The same key as the app's (already loaded), the same appearance page, the same place."""
    from app.auth.models import User
    from app.extensions import db
    from app.signing import credentials, pdf
    from app.signing.service import signature_image

    with bench.app.app_context():
        leader = db.session.get(User, bench.leader_id)
        cred = credentials.credential_of_user(leader.id)
        with credentials.signer_for(cred) as signer:
            pass
        box = pdf.default_leader_box(_pdf(1))
        appearance = pdf.signer_appearance(
            box.width,
            box.height,
            position=leader.position or "",
            name=leader.full_name,
            organisation=leader.organisation.name,
            image_png=signature_image(leader.id),
        )
    return signer, appearance, box


def bare_sign(signer: Any, appearance_file: str, box: Any, data: bytes) -> bytes:
    from pyhanko.pdf_utils.content import ImportedPdfPage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    meta = signers.PdfSignatureMetadata(
        field_name="Sig", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=StaticStampStyle(background=ImportedPdfPage(appearance_file), border_width=0),
        new_field_spec=fields.SigFieldSpec("Sig", on_page=-1, box=tuple(round(v) for v in box.rect())),
    )
    return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False)).getvalue()


def bare_validate(data: bytes, context_factory: Callable[[], Any]) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    for signature in reader.embedded_signatures:
        status = validate_pdf_signature(signature, signer_validation_context=context_factory())
        if not status.bottom_line:
            raise BenchmarkFailed(f"bare pyHanko finds the signature not valid: {status.summary()}")


# --- The app over HTTP ---------------------------------------------------------------------------------------


def _run(runs: int) -> list[Result]:
    import requests

    from app.extensions import db

    with tempfile.TemporaryDirectory(prefix="bench-signing-") as tmp, object_store(Path(tmp)) as store:
        bench = Bench(Path(tmp), store)
        signer, appearance, box = bare_signer(bench)
        appearance_file = Path(tmp) / "appearance.pdf"
        appearance_file.write_bytes(appearance)
        with gunicorn(bench.environment, Path(tmp), workers=1, threads=2) as base:
            session = requests.Session()
            session.headers["Authorization"] = "Bearer " + bearer_token(base, "leader", bench.password)
            try:
                return _measure(bench, base, session, signer, appearance_file, box, runs)
            finally:
                with bench.app.app_context():
                    db.engine.dispose()


def _measure(
    bench: Bench, base: str, session: Any, signer: Any, appearance_file: Path, box: Any, runs: int
) -> list[Result]:
    from app.extensions import db
    from app.signing import service

    results = []
    for pages in (1, 50):
        source = _pdf(pages)
        label = f"{pages}p"
        total = runs + 2
        service_drafts = bench.drafts(source, total)
        api_drafts = bench.drafts(source, total)
        bare_ms = median_ms(stock(lambda i, src=source: bare_sign(signer, str(appearance_file), box, src)), runs)

        def service_sign(i: int, drafts: list[int] = service_drafts) -> None:
            from app.auth.models import User

            with bench.app.app_context():
                service.sign_document(db.session.get(User, bench.leader_id), drafts[i])
                db.session.commit()

        def api_sign(i: int, drafts: list[int] = api_drafts) -> None:
            response = session.post(f"{base}/api/v1/documents/{drafts[i]}/sign", json={}, timeout=60)
            if response.status_code != 200:
                raise BenchmarkFailed(f"sign: {response.status_code} {response.text[:300]}")

        service_ms = median_ms(service_sign, runs)
        api_ms = median_ms(api_sign, runs)
        signed = bench.signed_bytes(api_drafts[0])

        roots, crl = _roots_and_crl(bench)

        def fresh_context(roots: list[Any] = roots, crl: Any = crl) -> Any:
            from pyhanko_certvalidator import ValidationContext

            return ValidationContext(trust_roots=roots, crls=[crl], allow_fetching=False, revocation_mode="hard-fail")

        bare_validate_ms = median_ms(stock(lambda i, pdf=signed: bare_validate(pdf, fresh_context)), runs)
        patched_validate_ms = median_ms(lambda i, pdf=signed: bare_validate(pdf, fresh_context), runs)

        def service_validate(i: int, signed: bytes = signed) -> None:
            with bench.app.app_context():
                if service.check_pdf(signed).verdict != "valid":
                    raise BenchmarkFailed("the app finds the signature not valid")

        def api_validate(i: int, signed: bytes = signed) -> None:
            headers = {"Content-Type": "application/pdf"}
            response = session.post(f"{base}/api/v1/verify", data=signed, headers=headers, timeout=60)
            if response.status_code != 200 or response.json()["verdict"] != "valid":
                raise BenchmarkFailed(f"verify: {response.status_code} {response.text[:300]}")

        def api_validate_form(i: int, signed: bytes = signed) -> None:
            files = {"file": ("van-ban.pdf", signed, "application/pdf")}
            response = session.post(f"{base}/api/v1/verify", files=files, timeout=60)
            if response.status_code != 200 or response.json()["verdict"] != "valid":
                raise BenchmarkFailed(f"verify: {response.status_code} {response.text[:300]}")

        def api_revalidate(i: int, api_drafts: list[int] = api_drafts) -> None:
            url = f"{base}/api/v1/documents/{api_drafts[0]}/signatures?refresh=1"
            response = session.get(url, timeout=60)
            if response.status_code != 200 or response.json()["verdict"] != "valid":
                raise BenchmarkFailed(f"validate: {response.status_code} {response.text[:300]}")

        service_validate_ms = median_ms(service_validate, runs)
        api_validate_ms = median_ms(api_validate, runs)
        form_validate_ms = median_ms(api_validate_form, runs)
        revalidate_ms = median_ms(api_revalidate, runs)
        print(
            f"{label}: sign bare {bare_ms:.1f} ms, service {service_ms:.1f} ms, API {api_ms:.1f} ms; "
            f"validate bare {bare_validate_ms:.1f} ms (with the app's hex reader {patched_validate_ms:.1f} ms), "
            f"service {service_validate_ms:.1f} ms, API {api_validate_ms:.1f} ms "
            f"(as a form: {form_validate_ms:.1f} ms; a stored document again: {revalidate_ms:.1f} ms)",
            flush=True,
        )
        results += [
            Result.against_floor(f"sign-service-{label}", "median_ms", service_ms, bare_ms, SIGN_TARGET, "ms"),
            Result.against_floor(f"sign-api-{label}", "median_ms", api_ms, bare_ms, SIGN_TARGET, "ms"),
            Result.against_floor(
                f"validate-service-{label}",
                "median_ms",
                service_validate_ms,
                bare_validate_ms,
                VALIDATE_TARGET,
                "ms",
            ),
            Result.against_floor(
                f"validate-api-{label}", "median_ms", api_validate_ms, bare_validate_ms, VALIDATE_TARGET, "ms"
            ),
        ]
    return results


def _roots_and_crl(bench: Bench) -> tuple[list[Any], Any]:
    """The app's trust roots and its CA's current CRL, as pyHanko takes them."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    from app.signing import credentials

    with bench.app.app_context():
        roots = [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in credentials.trust_roots()
        ]
        crl = asn1_crl.CertificateList.load(credentials.current_crl().public_bytes(serialization.Encoding.DER))
    return roots, crl


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench signing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each step (default 15)")
    args = parser.parse_args(argv)
    return run_and_report(NAME, lambda: _run(max(args.runs, 3)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
