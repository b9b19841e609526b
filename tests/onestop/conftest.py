"""What the one-stop tests share: the English locale, a one-stop officer at two desks, two procedures, an intake."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support import ORG_B, PASSWORD, ApiClient, add_onestop_officer

CODE = "1.001612.000.00.00.H99"
FREE = "1.001193.000.00.00.H99"


@pytest.fixture
def app(app_factory) -> Flask:  # type: ignore[no-untyped-def]
    """The tests read the reasons in English."""
    return app_factory(BABEL_DEFAULT_LOCALE="en")


@pytest.fixture
def desk(app: Flask, world) -> dict[str, ApiClient]:  # type: ignore[no-untyped-def]
    """A one-stop officer at organisation A's desk (and one at B's), and two procedures resolved by B."""
    from app.extensions import db
    from app.onestop.procedures import procedure_input, save_procedure

    for key in ("a", "b"):
        add_onestop_officer(app, world.orgs[key], f"onestop_{key}", f"Cán bộ một cửa {key.upper()}")
    with app.app_context():
        common = {"field": "Hộ kinh doanh", "organisation": ORG_B, "channels": ["direct", "post"]}
        save_procedure(
            None,
            procedure_input(
                {
                    **common,
                    "code": CODE,
                    "name": "Đăng ký thành lập hộ kinh doanh",
                    "statutory_days": 3,
                    "fees": [{"name": "Lệ phí", "amount": 100_000}],
                    "papers": [
                        {"name": "Giấy đề nghị", "form": "original"},
                        {"name": "Căn cước", "form": "copy"},
                        {"name": "Biên bản họp", "form": "copy", "required": False},
                    ],
                    "steps": [
                        {"name": "Tiếp nhận", "days": 0.5},
                        {"name": "Thẩm định", "unit": "Văn phòng", "days": 2},
                        {"name": "Trả kết quả", "days": 0.5},
                    ],
                }
            ),
        )
        save_procedure(
            None,
            procedure_input(
                {
                    **common,
                    "code": FREE,
                    "name": "Đăng ký khai sinh",
                    "statutory_days": 0.5,
                    "papers": [{"name": "Tờ khai", "form": "original"}],
                    "steps": [{"name": "Tiếp nhận và trả kết quả", "days": 0.5}],
                }
            ),
        )
        db.session.commit()
    return {key: ApiClient.login(app, f"onestop_{key}", PASSWORD) for key in ("a", "b")}


def intake(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "procedure": CODE,
        "applicant": {
            "name": "Nguyễn Văn An",
            "id_number": "001 090 012 345",
            "phone": "+84 912 345 678",
            "email": "an@example.vn",
            "address": "12 Lê Lợi, phường Trung Tâm",
        },
        "channel": "direct",
        "fee_mode": "paid",
        "papers": [{"paper": 0}, {"paper": 1, "copies": 2}],
    }
    body.update(changes)
    return body
