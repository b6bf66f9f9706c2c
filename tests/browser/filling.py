"""Filling a rendered form (forms/render.py) in Chromium from a dict of values, whatever input each field is."""
from __future__ import annotations


def fill_fields(page, values: dict, prefix: str = "") -> None:
    """Tick a radio, choose an option or type, field by field; `prefix` is the desk's `data.` before each name."""
    for key, value in values.items():
        name = f"[name='{prefix}{key}']"
        field = page.locator(name)
        if field.first.get_attribute("type") == "radio":
            page.check(f"input{name}[value={value}]")
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            page.select_option(name, value)
        else:
            page.fill(name, value)
