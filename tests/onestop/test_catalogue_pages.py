"""The procedures catalogue in the browser: read by the staff; the administrator edits a procedure in a form
written like a catalogue file's cells (and it reads back the same), and imports a file, checked first."""

from __future__ import annotations

import io

from flask import Flask

from tests.onestop.conftest import CODE
from tests.support import ORG_B, csrf_token_from, web_login


def admin_client(app: Flask):  # type: ignore[no-untyped-def]
    client = app.test_client()
    web_login(client, "admin_a")
    return client


def test_the_staff_read_the_catalogue_and_only_the_admin_edits_it(app, desk):
    client = app.test_client()
    web_login(client, "specialist_b")
    page = client.get("/onestop/procedures", query_string={"q": "hộ kinh doanh"}).get_data(as_text=True)
    assert "Đăng ký thành lập hộ kinh doanh" in page and "Đăng ký khai sinh" not in page
    assert "/edit" not in page and "import-procedures" not in page
    assert client.get(f"/onestop/procedures/{CODE}/edit").status_code == 403
    assert client.post("/onestop/procedures/save", data={}).status_code in (400, 403)
    assert app.test_client().get("/onestop/procedures").status_code == 302  # to the login page


def test_the_form_reads_back_what_it_saves(app, desk):
    client = admin_client(app)
    form = client.get(f"/onestop/procedures/{CODE}/edit").get_data(as_text=True)
    assert "Biên bản họp (nếu có) | bản sao | 1" in form
    assert "Thẩm định | Văn phòng | 2" in form and "Lệ phí: 100000" in form
    fields = {
        "csrf_token": csrf_token_from(form),
        "editing": CODE,
        "code": CODE,
        "name": "Đăng ký thành lập hộ kinh doanh",
        "field": "Hộ kinh doanh",
        "organisation": ORG_B,
        "channels": "trực tiếp, bưu chính",
        "statutory_days": "3",
        "papers": "Giấy đề nghị | bản chính | 1\nCăn cước | bản sao | 1\nBiên bản họp (nếu có) | bản sao | 1",
        "steps": "Tiếp nhận | | 0,5\nThẩm định | Văn phòng | 2\nTrả kết quả | | 0,5",
        "fees": "Lệ phí: 150.000",
        "active": "1",
    }
    # The steps must add up; a unit must be the organisation's; a code cannot change: said on the box.
    wrong = dict(fields, steps="Tiếp nhận | | 1\nThẩm định | Văn phòng | 3")
    answer = client.post("/onestop/procedures/save", data=wrong)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="err-steps"' in text
    assert "The steps take 4 working days; the statutory time is 3." in text
    unknown = dict(fields, steps="Tiếp nhận | | 1\nThẩm định | Phòng Không Có | 2")
    text = client.post("/onestop/procedures/save", data=unknown).get_data(as_text=True)
    assert "line 2: Sở Công Thương has no unit named Phòng Không Có." in text
    renamed = client.post("/onestop/procedures/save", data=dict(fields, code="1.999999.000.00.00.H99"))
    assert renamed.status_code == 422 and 'id="err-code"' in renamed.get_data(as_text=True)
    assert f"This procedure&#39;s code is {CODE} and cannot change" in renamed.get_data(as_text=True)

    saved = client.post("/onestop/procedures/save", data=fields, follow_redirects=True)
    assert saved.status_code == 200 and f"Procedure {CODE} saved." in saved.get_data(as_text=True)
    again = client.get(f"/onestop/procedures/{CODE}/edit").get_data(as_text=True)
    assert "Lệ phí: 150000" in again and "Thẩm định | Văn phòng | 2" in again
    api = desk["a"].get(f"/api/v1/onestop/procedures/{CODE}").json
    assert api["fees"] == [{"name": "Lệ phí", "amount": 150000}] and api["channels"] == ["direct", "post"]

    # A new one, from the empty form.
    new = client.get("/onestop/procedures/new").get_data(as_text=True)
    made = client.post(
        "/onestop/procedures/save",
        data=dict(
            fields,
            csrf_token=csrf_token_from(new),
            editing="",
            code="1.000001.000.00.00.H99",
            name="Cấp bản sao trích lục hộ tịch",
            statutory_days="0,5",
            papers="Tờ khai | bản chính",
            steps="Tiếp nhận và trả kết quả | | 0,5",
            fees="",
        ),
        follow_redirects=True,
    )
    assert "Procedure 1.000001.000.00.00.H99 added." in made.get_data(as_text=True)


def test_a_catalogue_file_is_checked_then_imported(app, desk):
    client = admin_client(app)
    token = csrf_token_from(client.get("/onestop/procedures").get_data(as_text=True))
    csv = (
        "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cơ quan giải quyết,Cách thức thực hiện,Thời hạn giải quyết,"
        "Thành phần hồ sơ,Quy trình nội bộ\n"
        f"1.000002.000.00.00.H99,Cấp giấy phép bán lẻ rượu,Lưu thông hàng hóa,{ORG_B},trực tiếp,10,"
        "Đơn đề nghị | bản chính,Thẩm định | Văn phòng | 10\n"
        f"1.000003.000.00.00.H99,Cấp giấy phép bán buôn rượu,Lưu thông hàng hóa,{ORG_B},trực tiếp,10,"
        "Đơn đề nghị | bản chính,Thẩm định | Văn phòng | 9\n"
        f"<script>x</script>,Tên,Lưu thông hàng hóa,{ORG_B},trực tiếp,10,Đơn | bản chính,Thẩm định | | 10\n"
    ).encode()

    def send(dry_run: bool):  # type: ignore[no-untyped-def]
        data = {"csrf_token": token, "file": (io.BytesIO(csv), "danh-muc.csv")}
        if dry_run:
            data["dry_run"] = "1"
        return client.post("/onestop/procedures/import", data=data, content_type="multipart/form-data")

    checked = send(True)
    text = checked.get_data(as_text=True)
    assert checked.status_code == 422 and "1 new, 0 replaced, 2 rejected." in text and "Nothing was saved." in text
    assert "line 3" in text and "line 4" in text and "&lt;script&gt;" in text and "<script>x" not in text
    assert "Cấp giấy phép bán lẻ rượu" not in client.get("/onestop/procedures?q=rượu").get_data(as_text=True)
    imported = send(False)
    assert "1 new, 0 replaced, 2 rejected." in imported.get_data(as_text=True)
    assert "Cấp giấy phép bán lẻ rượu" in client.get("/onestop/procedures?q=rượu").get_data(as_text=True)
    assert "0 new, 1 replaced, 2 rejected." in send(False).get_data(as_text=True)  # nothing twice

    broken = client.post(
        "/onestop/procedures/import",
        data={"csrf_token": token, "file": (io.BytesIO(b"\xff\xfe not text"), "x.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "not UTF-8" in broken.get_data(as_text=True)
