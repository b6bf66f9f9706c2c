"""The worklist as officials use it: tabs with counts that filter, overdue and due soon judged by the step's
and the dossier's due times, and a search by part of the code, of the ID number, or of the name without
diacritics, where % and _ are themselves."""
from __future__ import annotations

import re

from tests.web.test_desk_pages import code_from, receive
from tests.web.test_leader_pages import to_approval


def count(page: str, key: str) -> int:
    return int(re.search(rf'data-count="{key}">(\d+)<', page).group(1))


def codes_in(page: str) -> set[str]:
    """The dossiers listed in the table (not those named in a flash message)."""
    return set(re.findall(r'data-task="\d+">\s*<td><a href="/dossiers/(H26\.70-\d{6}-\d{4})"', page))


def test_search_by_part_of_code_id_or_name_without_diacritics_with_literal_wildcards(browser):
    desk = browser("desk1")
    a = code_from(receive(desk, decision="queue", name="Nguyễn Thị Bình", id_number="001188000111"))
    b = code_from(receive(desk, decision="queue", name="Trần Văn Đức", id_number="001088000222"))
    c = code_from(receive(desk, decision="queue", name="Công ty 100%_Vốn", id_number="001088000333"))
    d = code_from(receive(desk, decision="queue", name="Công ty 100 Vốn", id_number="001088000444"))

    def found(text: str) -> set[str]:
        return codes_in(desk.get("/worklist", query_string={"q": text}).get_data(as_text=True))

    assert found("binh") == {a} and found("NGUYEN thi") == {a} and found("đuc") == {b} and found("duc") == {b}
    assert found(b[-4:]) == {b} and found(b[-11:]) == {b}  # part of the code
    assert found("0880002") == {b} and found("001188") == {a}  # part of the ID number
    assert found("%") == {c} and found("_") == {c} and found("100%") == {c}
    assert found("100") == {c, d} and found("zzz") == set()
    assert found(a.lower()) == {a}


def test_tabs_count_and_filter_new_due_soon_and_overdue(browser, clock):
    desk = browser("desk1")
    codes = {code_from(receive(desk)) for _ in range(2)}
    specialist = browser("specialist1")
    page = specialist.get("/worklist").get_data(as_text=True)
    assert count(page, "total") == 2 and count(page, "new") == 2 and count(page, "due_soon") == 2
    assert count(page, "overdue") == 0 and count(page, "sent_back") == 0
    soon = specialist.get("/worklist?tab=due_soon").get_data(as_text=True)
    assert codes_in(soon) == codes and 'data-tab="due_soon" aria-current="page"' in soon
    assert codes_in(specialist.get("/worklist?tab=overdue").get_data(as_text=True)) == set()
    clock.advance(days=1)
    late = specialist.get("/worklist").get_data(as_text=True)
    assert count(late, "overdue") == 2 and count(late, "due_soon") == 0 and count(late, "new") == 0
    assert late.count('data-overdue="step"') == 2  # the badge stands by the due time that passed
    assert 'data-overdue="step"' not in page
    assert codes_in(specialist.get("/worklist?tab=overdue").get_data(as_text=True)) == codes
    assert codes_in(specialist.get("/worklist?tab=new").get_data(as_text=True)) == set()


def test_a_step_sent_back_shows_under_its_tab_and_a_supplement_waits_for_the_applicant(browser):
    code, task = to_approval(browser)
    leader = browser("leader1")
    assert leader.post(f"/tasks/{task}", {"approval_decision": "send_back",
                                          "approval_note": "Thẩm định lại giấy chứng sinh"}).status_code == 302
    specialist = browser("specialist1")
    code_from(receive(browser("desk1")))
    page = specialist.get("/worklist").get_data(as_text=True)
    assert count(page, "total") == 2 and count(page, "sent_back") == 1
    assert codes_in(specialist.get("/worklist?tab=sent_back").get_data(as_text=True)) == {code}
    again = re.search(rf'data-task="(\d+)">\s*<td><a href="/dossiers/{re.escape(code)}"', page).group(1)
    res = specialist.post(f"/tasks/{again}", {"appraisal_decision": "supplement",
                                              "appraisal_opinion": "Thiếu bản sao giấy chứng sinh",
                                              "supplement_items": "Bản sao giấy chứng sinh"})
    assert res.status_code == 302
    desk = browser("desk1").get("/worklist").get_data(as_text=True)
    assert count(desk, "waiting") == 1
    assert codes_in(browser("desk1").get("/worklist?tab=waiting").get_data(as_text=True)) == {code}


def test_the_desk_sees_what_it_received_that_others_now_hold(browser):
    desk = browser("desk1")
    held = code_from(receive(desk))
    queued = code_from(receive(desk, decision="queue"))
    page = desk.get("/desk/in-progress").get_data(as_text=True)
    assert f'data-dossier="{held}"' in page and f'data-dossier="{queued}"' not in page
    assert "Thẩm định hồ sơ" in page and "Chuyên viên thụ lý" in page and "chuyen_vien" not in page
    assert 'data-total>1<' in page
    assert browser("specialist1").get("/desk/in-progress").status_code == 403


def test_a_status_filter_that_does_not_exist_lists_nothing_rather_than_failing(browser):
    desk = browser("desk1")
    code = code_from(receive(desk, decision="queue"))
    assert codes_in(desk.get("/worklist?status=submitted").get_data(as_text=True)) == {code}
    page = desk.get("/worklist?status=zzz")
    assert page.status_code == 200 and codes_in(page.get_data(as_text=True)) == set()
    assert count(page.get_data(as_text=True), "total") == 0


def test_a_page_past_the_last_shows_the_last_page(browser):
    desk = browser("desk1")
    code = code_from(receive(desk, decision="queue"))
    page = desk.get("/worklist?page=99").get_data(as_text=True)
    assert codes_in(page) == {code}  # not an empty table under the page links


def test_a_dossier_is_found_by_the_names_its_declaration_gives(browser):
    from tests.web.test_case_file import DECLARED, scans

    desk = browser("desk1")
    res = receive(desk, **DECLARED, **scans())
    assert res.status_code == 302, res.get_data(as_text=True)[:2000]
    code = code_from(res)
    other = code_from(receive(desk, decision="receive"))
    specialist = browser("specialist1")

    def found(text: str) -> set[str]:
        return codes_in(specialist.get("/worklist", query_string={"q": text}).get_data(as_text=True))

    assert code in found("Bình An") and code in found("binh an")  # the child, with or without diacritics
    assert code in found("tran thi mai")  # the mother
    assert other not in found("binh an")
    assert {code, other} <= found("Phạm Minh Đức")  # the applicant still comes first


def test_the_desk_finds_by_its_code_a_dossier_that_moved_on_and_sees_where_it_is(browser):
    desk = browser("desk1")
    code = code_from(receive(desk))
    page = desk.get("/worklist", query_string={"q": code.lower()}).get_data(as_text=True)
    assert code not in codes_in(page)  # no step of the desk's: the specialist appraises it
    hit = page.split("data-dossier-hit>")[1].split("</div>")[0]
    assert f'href="/dossiers/{code}"' in hit and "Thẩm định hồ sơ" in hit
    other = browser("desk2").get("/worklist", query_string={"q": code}).get_data(as_text=True)
    assert "data-dossier-hit" not in other  # another ward's desk is told nothing of it
