"""A multipart part without a name (werkzeug keys it None) is refused or handled, never a server error."""


def test_a_multipart_part_without_a_name_gets_no_server_error(app, api):
    boundary = "xYz"
    body = (f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\ntrue\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nscan\r\n--{boundary}--\r\n")
    response = app.test_client().post(
        "/api/v1/dossiers/H26.70-000000-0001/documents", data=body.encode(),
        headers={"Authorization": f"Bearer {api.token('desk1')}",
                 "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code in (400, 404, 422), response.get_data(as_text=True)
    assert response.is_json and response.json["error"]["message"]
