"""Generated input against the REST API (schemathesis, from its OpenAPI document) and the forms'
validation (hypothesis): no server error, whatever arrives.

The default suite sends a few examples per operation and form; `MOTCUA_FUZZ_EXAMPLES=400` makes a
long run (thousands of requests). Each run appends its count of requests to the file named by
`MOTCUA_FUZZ_REPORT`, if set.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms import FormValidationError
from forms.formjs import load_form

EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "15"))
SETTINGS = settings(max_examples=EXAMPLES, database=None, deadline=None, derandomize=EXAMPLES <= 15,
                    suppress_health_check=list(HealthCheck))
FORMS = sorted((Path(__file__).resolve().parents[2] / "procedures").glob("*/*.form"))
OFFICIALS = ("desk1", "specialist1", "leader1", "admin1")


def _report(what: str, count: int) -> None:
    target = os.environ.get("MOTCUA_FUZZ_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(f"{what}\t{count}\n")


def test_generated_api_requests_never_get_a_server_error(app, api):
    import schemathesis

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tokens = {name: api.token(name) for name in OFFICIALS}
    sent, errors = [0], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @SETTINGS
        @given(case=operation.as_strategy(), who=st.sampled_from((None, *OFFICIALS)))
        def send(case, who):
            headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
            res = case.call(headers=headers)
            sent[0] += 1
            if res.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path} {case.query} as {who}: "
                              f"{res.status_code} {res.text[:300]}")

        send()
    _report("api", sent[0])
    assert sent[0] >= EXAMPLES * 5
    assert not errors, "\n".join(errors[:20])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=8)


@pytest.mark.parametrize("path", FORMS, ids=[f"{p.parent.name[:8]}/{p.name}" for p in FORMS])
def test_generated_form_data_is_validated_or_refused_with_field_messages(path):
    form = load_form(path)
    keys = st.sampled_from(form.keys() or ["x"]) | st.text(max_size=12)
    counted = [0]

    @SETTINGS
    @given(data=st.dictionaries(keys, JSON_VALUES, max_size=12), coerce=st.booleans(), partial=st.booleans())
    def validate(data, coerce, partial):
        counted[0] += 1
        try:
            cleaned = form.validate(data, coerce=coerce, partial=partial)
        except FormValidationError as err:
            assert str(err)
        else:
            assert isinstance(cleaned, dict)

    validate()
    _report(f"form {path.parent.name}/{path.name}", counted[0])
    assert counted[0] >= 1


TEXTS = st.text(max_size=30) | st.sampled_from(["", "on", "1", "true", "-1", "1e309", "2026-02-30", "\x00",
                                                "' OR 1=1 --", "<script>", "9" * 400])


def test_generated_web_form_posts_to_a_step_never_get_a_server_error(browser, session):
    from sqlalchemy import select

    from engine.models import HumanTask
    from tests.web.test_desk_pages import receive

    desk = browser("desk1")
    receive(desk, decision="queue")
    task_id = session.scalar(select(HumanTask.id).where(HumanTask.state == "ready"))
    form_keys = ["intake_decision", "supplement_items", "refuse_reason", "applicant.name", "csrf_token", "x"]
    statuses: list[int] = []

    @SETTINGS
    @given(fields=st.dictionaries(st.sampled_from(form_keys) | st.text(max_size=8),
                                  TEXTS | st.lists(TEXTS, max_size=3), max_size=8))
    def post(fields):
        res = desk.client.post(f"/tasks/{task_id}", data={**fields, "csrf_token": desk.token})
        statuses.append(res.status_code)
        assert res.status_code < 500, res.get_data(as_text=True)[:500]

    post()
    _report("web step posts", len(statuses))
    assert statuses


COMPONENT = st.fixed_dictionaries({"type": st.sampled_from(["textfield", "number", "select", "checkbox", "group",
                                                            "datetime", "textarea", "checklist", 5, None]),
                                   "key": st.text(max_size=6) | st.integers() | st.none()},
                                  optional={"validate": JSON_VALUES, "values": JSON_VALUES, "conditional": JSON_VALUES,
                                            "components": JSON_VALUES, "label": JSON_VALUES})


def test_generated_form_files_are_read_or_refused_with_a_form_error():
    """What a modeler might save as a .form: parsed, or refused naming the file, never another error."""
    from forms import FormError

    counted = [0]

    @SETTINGS
    @given(document=st.one_of(JSON_VALUES, st.fixed_dictionaries({"id": JSON_VALUES},
                                                                  optional={"components": st.lists(COMPONENT,
                                                                                                   max_size=5)})))
    def parse(document):
        from forms.formjs import parse_form

        counted[0] += 1
        try:
            form = parse_form(document, "sinh.form")
        except FormError as err:
            assert "sinh.form" in str(err)
        else:
            form.validate({}, partial=True)

    parse()
    _report("form files", counted[0])
    assert counted[0] >= 1
