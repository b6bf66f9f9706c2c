"""procedure.yaml as a form: answers written back with the other keys and the diacritics kept; bad answers
named one by one; the code never changes."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine.catalogue.catalogue_form import apply_form, form_values
from engine.ground.errors import Invalid

TEXT = (Path(__file__).resolve().parents[2] / "procedures" / "1.001193-dang-ky-khai-sinh" / "procedure.yaml").read_text(
    encoding="utf-8")


def answers(**changed):
    values = form_values(TEXT)
    return {**values, "one_stop": "1" if values["one_stop"] else None, **changed}


def test_the_form_shows_the_entry():
    values = form_values(TEXT)
    assert (values["code"], values["name"], values["field"]) == ("1.001193", "Đăng ký khai sinh", "Hộ tịch")
    assert values["limit_value"] == "0" and values["same_day_cutoff"] == "15:00"
    assert "in_person" in values["channels"] and values["results"].startswith("Giấy khai sinh")


def test_saving_keeps_the_other_keys_and_writes_vietnamese_letters_as_they_are():
    text = apply_form(TEXT, answers(name="Đăng ký khai sinh lưu động", limit_value="2", results="Giấy khai sinh\n"))
    assert "Đăng ký khai sinh lưu động" in text and "\\u" not in text
    entry, before = yaml.safe_load(text), yaml.safe_load(TEXT)
    assert entry["code"] == "1.001193" and entry["time_limit"] == {"value": 2, "unit": "working_days"}
    assert entry["documents"] == before["documents"] and entry["fees"] == before["fees"]
    assert entry["results"] == ["Giấy khai sinh"] and entry["one_stop"] is True
    assert form_values(text)["name"] == "Đăng ký khai sinh lưu động"


def test_every_bad_answer_is_named():
    with pytest.raises(Invalid) as refused:
        apply_form(TEXT, answers(name="", limit_value="x", channels=["in_person"], online="full",
                                 same_day_cutoff="25:00"))
    assert set(refused.value.fields) == {"name", "limit_value", "online", "same_day_cutoff"}


def test_an_empty_cutoff_removes_the_key():
    assert "same_day_cutoff" not in yaml.safe_load(apply_form(TEXT, answers(same_day_cutoff="")))
