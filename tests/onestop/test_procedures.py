"""The procedures catalogue: saved whole by its code through the API (the admin) and imported from JSON or CSV
(`flask onestop import-procedures`), its steps adding up to its statutory time; bad input named field by field,
nothing half-saved, nothing twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.support import ORG_B, ORG_C

CODE = "1.000775.000.00.00.H99"


def procedure(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": CODE,
        "name": "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "field": "An toàn thực phẩm",
        "organisation": ORG_B,
        "channels": ["direct", "online"],
        "statutory_days": 20,
        "fees": [{"name": "Phí thẩm định", "amount": 2_500_000}],
        "papers": [
            {"name": "Đơn đề nghị", "form": "original"},
            {"name": "Giấy xác nhận đủ sức khỏe", "form": "certified_copy", "copies": 2},
            {"name": "Giấy tờ khác (nếu có)", "form": "copy", "required": False},
        ],
        "steps": [
            {"name": "Tiếp nhận", "days": 0.5},
            {"name": "Thẩm định", "unit": "Văn phòng", "days": 15},
            {"name": "Phê duyệt", "unit": "van phong", "days": 4},
            {"name": "Trả kết quả", "days": "0,5"},
        ],
    }
    body.update(changes)
    return body


def count_procedures(app: Flask) -> tuple[int, int, int]:
    from app.extensions import db
    from app.onestop.models import Procedure, ProcedurePaper, ProcedureStep

    with app.app_context():
        return tuple(  # type: ignore[return-value]
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Procedure, ProcedurePaper, ProcedureStep)
        )


def test_the_admin_makes_and_replaces_a_procedure(app, api, world):
    admin = api("admin_a")
    made = admin.put(f"/api/v1/onestop/procedures/{CODE}", json=procedure())
    assert made.status_code == 201, made.json
    body = made.json
    assert made.headers["Location"].endswith(f"/api/v1/onestop/procedures/{CODE}")
    assert body["organisation"]["code"] == ORG_B and body["statutory_days"] == 20
    assert [s["days"] for s in body["steps"]] == [0.5, 15, 4, 0.5]
    assert body["steps"][0]["unit"] is None and body["steps"][1]["unit"]["name"] == "Văn phòng"
    paper = {"name": "Giấy xác nhận đủ sức khỏe", "form": "certified_copy", "copies": 2, "required": True}
    assert body["papers"][1] == paper
    assert body["papers"][2]["required"] is False
    assert body["total_fee"] == 2_500_000 and body["channels"] == ["direct", "online"]

    fewer = procedure(
        organisation=ORG_C,
        statutory_days=3,
        steps=[{"name": "Tiếp nhận", "days": 1}, {"name": "Giải quyết", "days": 2}],
        papers=[{"name": "Đơn"}],
    )
    replaced = admin.put(f"/api/v1/onestop/procedures/{CODE.lower()}", json=fewer)
    assert replaced.status_code == 200, replaced.json
    assert replaced.json["id"] == body["id"] and replaced.json["organisation"]["code"] == ORG_C
    assert count_procedures(app) == (1, 1, 2)  # the old papers and steps are gone, nothing twice

    # Everyone signed in reads the catalogue; one procedure by its code.
    clerk = api("clerk_b")
    assert clerk.get(f"/api/v1/onestop/procedures/{CODE}").json["name"] == body["name"]
    listed = clerk.get("/api/v1/onestop/procedures?q=thực phẩm").json
    assert listed["total"] == 1 and listed["items"][0]["code"] == CODE
    assert clerk.get("/api/v1/onestop/procedures?q=xăng").json["total"] == 0
    assert clerk.get("/api/v1/onestop/procedures?field=An toàn thực phẩm").json["total"] == 1


def test_only_the_admin_edits_the_catalogue(app, api, world):
    for username in ("clerk_a", "leader_a", "specialist_b"):
        refused = api(username).put(f"/api/v1/onestop/procedures/{CODE}", json=procedure())
        assert refused.status_code == 403
        assert refused.json["error"]["code"] == "forbidden"
    assert count_procedures(app) == (0, 0, 0)
    anonymous = app.test_client().get("/api/v1/onestop/procedures")
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"code": "QĐ-123"}, "code", "Not a procedure code"),
        ({"code": "1.002835.000.00.00"}, "code", "Not a procedure code"),
        ({"statutory_days": 21}, "steps", "The steps take 20 working days; the statutory time is 21"),
        ({"statutory_days": 0}, "statutory_days", "above 0"),
        ({"statutory_days": 2.3}, "statutory_days", "in halves"),
        ({"statutory_days": "mười"}, "statutory_days", "number of working days"),
        ({"statutory_days": True}, "statutory_days", "number of working days"),
        ({"organisation": "999.99.99.H99"}, "organisation", "No organisation has the code 999.99.99.H99"),
        ({"channels": ["fax"]}, "channels", "one or more of: direct, online, post"),
        ({"channels": []}, "channels", "one or more of"),
        ({"papers": []}, "papers", ""),
        ({"fees": [{"name": "Phí", "amount": -1}]}, "fees.0.amount", "at least 0"),
        ({"name": "<script>" + "x" * 600}, "name", "At most 500"),
        ({"surprise": 1}, "surprise", "Unknown field"),
        ({"steps": "Tiếp nhận"}, "steps", ""),
    ],
)
def test_bad_procedures_are_refused_field_by_field(app, api, world, changes, field, words):
    answer = api("admin_a").put(f"/api/v1/onestop/procedures/{CODE}", json=procedure(**changes))
    assert answer.status_code == 422, answer.json
    fields = answer.json["error"]["fields"]
    assert field in fields, fields
    assert words in fields[field]
    assert count_procedures(app) == (0, 0, 0)


def test_unknown_units_codes_and_bodies(app, api, world):
    admin = api("admin_a")
    steps = [{"name": "Thẩm định", "unit": "Phòng Không Có", "days": 19}, {"name": "Trả", "days": 1}]
    answer = admin.put(f"/api/v1/onestop/procedures/{CODE}", json=procedure(steps=steps))
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {"steps.0.unit": "Sở Công Thương has no unit named Phòng Không Có."}
    other = admin.put("/api/v1/onestop/procedures/1.000001.000.00.00.H99", json=procedure())
    assert other.status_code == 422
    assert other.json["error"]["fields"]["code"].startswith("This procedure's code is 1.000001.000.00.00.H99")
    broken = admin.put(f"/api/v1/onestop/procedures/{CODE}", data="[1, 2", content_type="application/json")
    assert broken.status_code == 422 and broken.json["error"]["message"] == "Send a JSON object."
    big = procedure(name="x" * 2_000_000)
    assert admin.put(f"/api/v1/onestop/procedures/{CODE}", json=big).status_code == 413
    assert admin.get("/api/v1/onestop/procedures/1.999999.000.00.00.H99").status_code == 404
    assert admin.get("/api/v1/onestop/procedures?page=0").status_code == 422
    assert count_procedures(app) == (0, 0, 0)


# --- The import ---------------------------------------------------------------------------------------------


def run(app: Flask, path: Path, *options: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["onestop", "import-procedures", str(path), *options])


HEADER = (
    "\ufeffSTT;Mã thủ tục;Tên thủ tục;Lĩnh vực;Cơ quan giải quyết;Cách thức thực hiện;Thời hạn giải quyết;"
    "Phí, lệ phí;Thành phần hồ sơ;Quy trình nội bộ\n"
)
CSV_TEXT = (
    HEADER
    + """1;1.001612.000.00.00.H99;Đăng ký thành lập hộ kinh doanh;Hộ kinh doanh;{b};\
Trực tiếp, trực tuyến, bưu chính;3;Lệ phí: 100.000 đ;"Giấy đề nghị | bản chính
Căn cước | bản sao | 2
Biên bản họp (nếu có) | bản sao";"Tiếp nhận || 0,5
Thẩm định | Văn phòng | 2
Trả kết quả | | 0,5"
2;1.000894.000.00.00.H99;Đăng ký kết hôn;Hộ tịch;{c};trực tiếp;1;;Tờ khai | bản chính;Tiếp nhận | | 1
3;1.000656.000.00.00.H99;Đăng ký khai tử;Hộ tịch;{c};bằng fax;1;;Tờ khai;Tiếp nhận | | 2
4;1.000656.000.00.00.H99;Đăng ký khai tử;Hộ tịch;{c};trực tiếp;1;;Tờ khai;Tiếp nhận | Phòng Ma | 1
"""
)


def test_a_csv_catalogue_with_vietnamese_headers(app, world, tmp_path):
    path = tmp_path / "thu-tuc.csv"
    path.write_text(CSV_TEXT.format(b=ORG_B, c=ORG_C), encoding="utf-8")
    first = run(app, path)
    assert first.exit_code == 2, first.output
    assert "2 procedures were added, 0 replaced, 2 rejected" in first.output
    assert "rejected line 4 1.000656.000.00.00.H99: channels: Must be one or more of" in first.output
    assert "rejected line 5 1.000656.000.00.00.H99: The code 1.000656.000.00.00.H99 is also at line 4" in first.output
    assert count_procedures(app) == (2, 4, 4)

    from app.extensions import db
    from app.onestop.procedures import get_procedure

    with app.app_context():
        household = get_procedure("1.001612.000.00.00.H99")
        assert household.channels == "direct,online,post" and household.fees == [{"name": "Lệ phí", "amount": 100000}]
        assert [(p.name, p.form, p.copies, p.required) for p in household.papers] == [
            ("Giấy đề nghị", "original", 1, True),
            ("Căn cước", "copy", 2, True),
            ("Biên bản họp", "copy", 1, False),
        ]
        assert [(s.name, s.unit.name if s.unit else None, float(s.days)) for s in household.steps] == [
            ("Tiếp nhận", None, 0.5),
            ("Thẩm định", "Văn phòng", 2.0),
            ("Trả kết quả", None, 0.5),
        ]
        db.session.rollback()

    again = run(app, path)
    assert again.exit_code == 2 and "0 procedures were added, 2 replaced, 2 rejected" in again.output
    assert count_procedures(app)[0] == 2  # nothing twice


def test_a_json_catalogue_dry_run_and_broken_files(app, world, tmp_path):
    good = tmp_path / "catalogue.json"
    good.write_text(json.dumps({"procedures": [procedure(), procedure(code="1.000776.000.00.00.H99"), "nonsense"]}))
    dry = run(app, good, "--dry-run")
    assert dry.exit_code == 2 and "2 procedures would be added, 0 replaced, 1 rejected" in dry.output
    assert "rejected procedure 3 : Must be an object" in dry.output
    assert count_procedures(app) == (0, 0, 0)
    done = run(app, good)
    assert done.exit_code == 2 and count_procedures(app)[0] == 2

    broken = tmp_path / "broken.json"
    broken.write_text('{"procedures": [')
    answer = run(app, broken)
    assert answer.exit_code == 1 and "not valid JSON" in answer.output
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("Mã;Tên\n1.000001;Đơn\n".encode("utf-16-le"))
    answer = run(app, utf16)
    assert answer.exit_code == 1 and "not UTF-8" in answer.output
    headless = tmp_path / "headless.csv"
    headless.write_text("a,b,c\n1,2,3\n")
    answer = run(app, headless)
    assert answer.exit_code == 1 and "must name its columns" in answer.output
    missing = run(app, tmp_path / "none.csv")
    assert missing.exit_code == 1 and "There is no procedures file" in missing.output
    assert count_procedures(app)[0] == 2
