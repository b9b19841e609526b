from tests.support import make_pdf


def test_clerk_registers_an_incoming_document_and_finds_it_in_the_list(api) -> None:  # type: ignore[no-untyped-def]
    clerk = api("clerk_a")
    created = clerk.register(make_pdf())
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["register_number"] == 1
    listed = clerk.get("/api/v1/documents").get_json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == body["id"]
