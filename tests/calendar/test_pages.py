"""The administrator's calendar page: a desk given Saturday mornings, a make-up day marked and removed."""

from __future__ import annotations

from flask import Flask

from tests.support import World, csrf_token_from, web_login


def test_the_admin_opens_a_desk_on_saturday_mornings_and_marks_a_day(app: Flask, world: World) -> None:
    client = app.test_client()
    web_login(client, "admin_a")
    org_b = world.orgs["b"]
    page = client.get("/admin/calendar", query_string={"organisation_id": org_b, "year": 2026})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="w0-morning-opens" value="07:30"' in html and 'name="w5-morning-opens" value=""' in html
    assert "02/09/2026" in html and "17/02/2026" in html  # Independence Day, Tết

    token = csrf_token_from(html)
    hours = {"year": "2026", "organisation_id": str(org_b), "csrf_token": token}
    for weekday in range(6):
        hours[f"w{weekday}-morning-opens"], hours[f"w{weekday}-morning-closes"] = "07:30", "11:30"
    for weekday in range(5):
        hours[f"w{weekday}-afternoon-opens"], hours[f"w{weekday}-afternoon-closes"] = "13:30", "17:00"
    saved = client.post("/admin/calendar/hours", data=hours, follow_redirects=True)
    assert "The office hours were saved." in saved.get_data(as_text=True)
    assert 'name="w5-morning-opens" value="07:30"' in saved.get_data(as_text=True)

    # A time that is not one, and an interval that closes before it opens: told, nothing changed.
    broken = dict(hours, **{"w5-morning-opens": "11:30", "w5-morning-closes": "07:30"})
    told = client.post("/admin/calendar/hours", data=broken, follow_redirects=True).get_data(as_text=True)
    assert "flash error" in told and 'name="w5-morning-opens" value="07:30"' in told

    marked = client.post(
        "/admin/calendar/days",
        data={
            "day": "2026-12-26",
            "kind": "working_day",
            "note": "Làm bù cho thứ Sáu 1/1/2027",
            "year": "2026",
            "csrf_token": token,
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Làm bù cho thứ Sáu 1/1/2027" in marked
    without = {"day": "2026-12-27", "kind": "day_off", "note": "", "csrf_token": token, "year": "2026"}
    no_note = client.post("/admin/calendar/days", data=without, follow_redirects=True).get_data(as_text=True)
    assert "Say why, for example the decision that sets this day." in no_note and "27/12/2026" not in no_note
    removed = client.post(
        "/admin/calendar/days",
        data={"day": "2026-12-26", "remove": "1", "year": "2026", "csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Làm bù cho thứ Sáu 1/1/2027" not in removed


def test_only_the_top_level_admin_changes_it(app: Flask, world: World) -> None:
    client = app.test_client()
    web_login(client, "admin_b")
    page = client.get("/admin/calendar").get_data(as_text=True)
    assert "Only an administrator of the top-level organisation changes the calendar." in page
    sent = {"day": "2026-12-31", "kind": "day_off", "note": "Nghỉ", "csrf_token": csrf_token_from(page)}
    refused = client.post("/admin/calendar/days", data=sent, follow_redirects=True).get_data(as_text=True)
    assert "Only an administrator of a top-level organisation may change the working calendar." in refused
    clerk = app.test_client()
    web_login(clerk, "clerk_a")
    assert clerk.get("/admin/calendar").status_code == 403
