"""Every route of the app and who may use it: the table the access matrix checks.

`ROUTES[endpoint] = Route(method, path, on_a, on_b, ...)`. Paths take the placeholders of
`world.World.ids`: objects of side A live in ward H26.70 (desk1, specialist1, leader1, wardadmin),
those of side B in ward H26.73 (desk2). `on_a`/`on_b` are the actors who may use the route on that
side's object; every other actor must be refused (401, 403, 404, or the login page).
Routes under /api/v1 are called with each official's bearer token.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ALL = frozenset({"anonymous", "applicant", "desk1", "specialist1", "leader1", "desk2", "consult1", "analyst1",
                 "admin1", "supervisor1", "wardadmin"})
OFFICIALS = ALL - {"anonymous", "applicant"}
NOBODY: frozenset[str] = frozenset()
APPLICANT = frozenset({"applicant"})
DESKS = frozenset({"desk1", "desk2"})
ADMIN = frozenset({"admin1"})                       # admin of the city: every unit, and system-wide settings
ADMINS_A = ADMIN | {"wardadmin"}                    # admins of ward A
EDITORS = ADMINS_A | {"analyst1"}                   # the studio: analysts and admins
CITY_EDITORS = frozenset({"admin1", "analyst1"})    # analysts and admins of the city: every procedure
SUPERVISORS_A = frozenset({"supervisor1", "admin1", "wardadmin"})
SUPERVISORS_B = frozenset({"supervisor1", "admin1"})
# Who reads a dossier, its scans and forms: officials of its unit, supervisors above it (read-only)
READERS_A = frozenset({"desk1", "specialist1", "leader1", "wardadmin", "supervisor1"})
READERS_B = frozenset({"desk2", "supervisor1"})
BOOKS_A = READERS_A | {"analyst1", "admin1"}        # tracking books: any official of the unit or above it
BOOKS_B = READERS_B | {"analyst1", "admin1"}
CASE_A = frozenset({"desk1", "specialist1"})       # who adds to a dossier's file: its desk, its step's holder
DESK_B = frozenset({"desk2"})
HANDERS = frozenset({"desk1", "specialist1", "leader1", "desk2", "consult1"})  # who hands paper dossiers over
APPLICANT_DATA = {"name": "Phạm Minh Đức", "id_number": "001088011223", "address": "12 Hàng Bạc, Hà Nội",
                  "phone": "0901234567"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    on_a: frozenset
    on_b: frozenset | None = None     # None: the route has no unit-bound object; same as on_a
    data: dict = field(default_factory=dict)
    fresh: bool = False               # the request ends the session (logout): use a new login per actor
    prepare: str | None = None        # a `world.World` method run before each call (recreates what it uses up)

    def who(self, side: str) -> frozenset:
        return self.on_a if side == "A" or self.on_b is None else self.on_b


R = Route
ROUTES: dict[str, Route] = {
    # public pages
    "public.home": R("GET", "/", ALL),
    "officials.index": R("GET", "/", ALL),  # same rule as public.home; the first registered answers
    "auth.login_page": R("GET", "/login", ALL),
    "auth.logout": R("POST", "/logout", ALL - {"anonymous"}, fresh=True),
    "auth.password_page": R("GET", "/account/password", OFFICIALS),
    "auth.password_change": R("POST", "/account/password", OFFICIALS),
    "applicants.register": R("GET", "/cong-dan/dang-ky", ALL),
    "applicants.login": R("GET", "/cong-dan/dang-nhap", ALL),
    # VNeID sign-in (tests/conftest.py points it at the simulator): the start sends anyone to VNeID; the callback
    # without the session's state refuses with 400 and writes nothing (tests/web/test_vneid_login.py)
    "applicants.vneid_start": R("GET", "/cong-dan/dang-nhap/vneid", ALL),
    "applicants.vneid_callback": R("GET", "/cong-dan/dang-nhap/vneid/callback?code=x&state=y", ALL),
    "portal.catalogue": R("GET", "/thu-tuc", ALL),
    "portal.procedure": R("GET", "/thu-tuc/{proc}", ALL),
    "portal.document_template": R("GET", "/thu-tuc/{proc}/mau/to-khai-dang-ky-khai-sinh.html", ALL),
    "portal.lookup_form": R("GET", "/tra-cuu", ALL),
    "portal.lookup": R("GET", "/tra-cuu/{dossier}", ALL, ALL),  # status only, no personal data
    "results.verify": R("GET", "/xac-thuc", ALL),  # checks an issued result, no personal data
    "printing.font": R("GET", "/printing/fonts/NotoSerif_400Regular.ttf", ALL),
    "static": R("GET", "/static/motcua.css", ALL),
    "favicon": R("GET", "/favicon.ico", ALL),
    "supervision.public_indicators": R("GET", "/chi-so/{unit_code}", ALL, ALL),
    # applicants: their own dossiers only (side A is the applicant's, side B another citizen's)
    "applicants.logout": R("POST", "/cong-dan/dang-xuat", APPLICANT, fresh=True),
    "applicants.my_dossiers": R("GET", "/cong-dan/ho-so", APPLICANT),
    "applicants.document_store": R("GET", "/cong-dan/kho-giay-to", APPLICANT),
    "applicants.dossier_page": R("GET", "/cong-dan/ho-so/{mine}", APPLICANT, NOBODY),
    "applicants.supplement": R("POST", "/cong-dan/ho-so/{mine}/bo-sung", APPLICANT, NOBODY),
    "applicants.rate": R("POST", "/cong-dan/ho-so/{mine}/danh-gia", APPLICANT, NOBODY),
    "applicants.receipt": R("GET", "/cong-dan/ho-so/{mine}/giay-tiep-nhan", APPLICANT, NOBODY),
    # an upload is not a result: not even its owner fetches it through the results' address
    "applicants.result": R("GET", "/cong-dan/ho-so/{mine}/ket-qua/{my_doc}", NOBODY, NOBODY),
    "applicants.withdraw": R("POST", "/cong-dan/ho-so/{mine}/rut", APPLICANT, NOBODY),
    # a received dossier has no notice 02 yet: even its owner gets 404 (the owner's way: tests/web/test_applicant_progress)
    "applicants.notices": R("GET", "/cong-dan/thong-bao", APPLICANT),
    "applicants.notices_read": R("POST", "/cong-dan/thong-bao/da-doc", APPLICANT),
    "applicants.notice": R("GET", "/cong-dan/ho-so/{mine}/thong-bao/02", NOBODY, NOBODY),
    "applicants.feedback": R("GET", "/cong-dan/phan-anh-kien-nghi", APPLICANT),
    "applicants.privacy": R("GET", "/cong-dan/bao-ve-du-lieu-ca-nhan", ALL),
    "applicants.consent": R("GET", "/cong-dan/dong-y", APPLICANT),
    "applicants.consent_given": R("POST", "/cong-dan/dong-y", APPLICANT),
    "applicants.my_data_download": R("GET", "/cong-dan/du-lieu-cua-toi", APPLICANT),
    # phản ánh, kiến nghị: the one-stop desk and the leaders of the unit it went to
    "feedback.feedback_page": R("GET", "/feedback", frozenset({"desk1", "leader1", "desk2"})),
    "feedback.answer": R("POST", "/feedback/{feedback}/answer", frozenset({"desk1", "leader1"}), DESK_B,
                         {"answer": "Đã tiếp thu"}, prepare="feedback"),
    "online.start": R("GET", "/cong-dan/nop/{proc}", APPLICANT),
    "online.review": R("POST", "/cong-dan/nop/{proc}", APPLICANT),
    "online.review_page": R("GET", "/cong-dan/nop/{proc}/xem-lai", APPLICANT),
    "online.submit": R("POST", "/cong-dan/nop/{proc}/gui", APPLICANT),
    "online.save_draft": R("POST", "/cong-dan/nop/{proc}/nhap", APPLICANT),
    "online.discard_draft": R("POST", "/cong-dan/nop/{proc}/nhap/xoa", APPLICANT),
    # liên thông online (webapp/online_group.py): the form, review and send of a group; a group's page is its owner's
    # only (another applicant's or an unknown code: 404; tests/web/test_lien_thong_online.py shows the owner's)
    "online_group.start": R("GET", "/cong-dan/nop-lien-thong/LT.01", APPLICANT),
    "online_group.review_page": R("GET", "/cong-dan/nop-lien-thong/LT.01/xem-lai", APPLICANT),
    "online_group.review": R("POST", "/cong-dan/nop-lien-thong/LT.01", APPLICANT),
    "online_group.submit": R("POST", "/cong-dan/nop-lien-thong/LT.01/gui", APPLICANT),
    "online_group.group_page": R("GET", "/cong-dan/lien-thong/LT-H26.70-260302-9999", NOBODY),
    # the desk
    "desk.choose_procedure": R("GET", "/desk/new", DESKS),
    "desk.receive": R("GET", "/desk/new/{proc}", DESKS),
    "desk.citizen_check": R("POST", "/desk/new/{proc}/citizen-check", DESKS),
    "desk.queue": R("GET", "/desk/queue", DESKS),
    "desk.in_progress": R("GET", "/desk/in-progress", DESKS),
    "desk.update_checklist": R("POST", "/desk/checklist/{dossier}", NOBODY),
    "desk.receipt": R("GET", "/desk/receipt/{dossier}", frozenset({"desk1"}), frozenset({"desk2"})),
    "desk.group_page": R("GET", "/desk/groups/{group}", frozenset({"desk1"}), frozenset({"desk2"})),
    "desk.group_return_done": R("POST", "/desk/groups/{group}/return", frozenset({"desk1"}), frozenset({"desk2"}),
                                data={"receiver_name": "Phạm Minh Đức"}),
    # dossiers, steps, scans, printed forms
    "officials.worklist_page": R("GET", "/worklist", OFFICIALS),
    "officials.dossier_page": R("GET", "/dossiers/{dossier}", READERS_A, READERS_B),
    "officials.document": R("GET", "/documents/{doc}", READERS_A, READERS_B),
    "printing.dossier_form": R("GET", "/dossiers/{dossier}/forms/01", READERS_A, READERS_B),
    # the case file: the desk of the dossier's unit and whoever holds one of its ready steps (here the appraisal)
    "case.correct_declaration": R("GET", "/dossiers/{dossier}/declaration", CASE_A, DESK_B),
    "case.add_file": R("POST", "/dossiers/{dossier}/files", CASE_A, DESK_B),
    "case.reuse_file": R("POST", "/dossiers/{dossier}/files/reuse", CASE_A, DESK_B),
    "case.counter_store": R("POST", "/desk/store", DESKS, data={"id_number": "001088011223", "procedure": "{proc}"}),
    "results.draft": R("GET", "/dossiers/{dossier}/result-draft", READERS_A, READERS_B),
    "withdrawals.stop": R("GET", "/dossiers/{dossier}/stop", frozenset({"leader1"}), NOBODY),
    "leader.extend": R("GET", "/dossiers/{dossier}/extend", frozenset({"leader1"}), NOBODY),
    "officials.task_page": R("GET", "/tasks/{task}", frozenset({"specialist1", "leader1"}), NOBODY),
    "officials.task_fields": R("POST", "/tasks/{task}/fields", frozenset({"specialist1", "leader1"}), NOBODY),
    "officials.complete": R("POST", "/tasks/{task}", frozenset({"specialist1"}), NOBODY),
    "officials.claim": R("POST", "/tasks/{task}/claim", frozenset({"specialist1"}), NOBODY),
    "officials.reassign": R("POST", "/tasks/{task}/reassign", frozenset({"leader1"}), NOBODY,
                            {"assignee": "specialist1"}),
    "officials.unclaim": R("POST", "/tasks/{task}/unclaim", frozenset({"specialist1"}), NOBODY),
    "printing.choose_book": R("GET", "/tracking-book", OFFICIALS),
    "printing.unit_book": R("GET", "/units/{unit_code}/tracking-book", BOOKS_A, BOOKS_B),
    # fees: the applicant pays their own dossier's fee online; the gateway's notices must be signed
    "applicant_payments.pay_online": R("POST", "/cong-dan/ho-so/{mine}/nop-phi", APPLICANT, NOBODY),
    "applicant_payments.result": R("GET", "/cong-dan/ho-so/{mine}/ket-qua-thanh-toan", APPLICANT, NOBODY),
    "payment_gateway.callback": R("POST", "/thanh-toan/callback", NOBODY),
    # The gate is the dossier's readers; past it the engine lets only the desk of the step's unit record the
    # fee and tells the others why (303 with a message), which a status code cannot show.
    "desk_payments.desk_payment": R("POST", "/dossiers/{dossier}/payments/desk", READERS_A, READERS_B),
    # results sent by post: the list for the desk, leaders, admins, supervisors; the carrier's signed reports
    "postal.shipments_page": R("GET", "/postal/", frozenset({"desk1", "leader1", "desk2", "admin1", "supervisor1",
                                                            "wardadmin"})),
    "postal.callback": R("POST", "/postal/callback", NOBODY),  # nobody without the carrier's signature
    # supervision
    "supervision.dashboard_page": R("GET", "/supervision?unit={unit_code}", SUPERVISORS_A, SUPERVISORS_B),
    "supervision.evaluation_page": R("GET", "/supervision/evaluation?unit={unit_code}", SUPERVISORS_A,
                                     SUPERVISORS_B),
    "supervision.list_page": R("GET", "/supervision/list/late?unit={unit_code}", SUPERVISORS_A, SUPERVISORS_B),
    "supervision.report": R("GET", "/supervision/report.xlsx?unit={unit_code}", SUPERVISORS_A, SUPERVISORS_B),
    # the studio: the catalogue and its published versions for every analyst and admin; a draft only for those
    # above every unit its procedure reaches ({ward_proc}: on side A offered by ward A alone, on B by ward B alone)
    "studio.index": R("GET", "/studio/", EDITORS),
    "studio.edit": R("GET", "/studio/{ward_proc}", EDITORS, CITY_EDITORS),
    "studio.check": R("GET", "/studio/{ward_proc}/check", EDITORS, CITY_EDITORS),
    # the editor's unsaved files checked over the draft (a body without files is a 422, past the access check)
    "studio.check_unsaved": R("POST", "/studio/{ward_proc}/check", EDITORS, CITY_EDITORS),
    "studio.step_templates": R("GET", "/studio/step-templates.json", EDITORS),
    "studio.save": R("POST", "/studio/{ward_proc}/draft", EDITORS, CITY_EDITORS),
    "studio.export": R("GET", "/studio/{ward_proc}/export.zip", EDITORS, CITY_EDITORS),
    "studio.files": R("GET", "/studio/{ward_proc}/files.json", EDITORS, CITY_EDITORS),
    "studio.import_bpmn": R("POST", "/studio/{ward_proc}/import-bpmn", EDITORS, CITY_EDITORS),
    "studio.import_zip": R("POST", "/studio/import-zip", EDITORS),
    "studio.sandbox_run": R("GET", "/studio/{ward_proc}/test-run", EDITORS, CITY_EDITORS),
    "studio.catalogue": R("GET", "/studio/{ward_proc}/catalogue", EDITORS, CITY_EDITORS),
    "studio.versions": R("GET", "/studio/{proc}/versions", EDITORS),
    "studio.publish": R("POST", "/studio/{ward_proc}/publish", ADMINS_A, ADMIN),
    "studio.publish_confirm": R("GET", "/studio/{ward_proc}/publish", ADMINS_A, ADMIN),
    # hand-over of paper dossiers: the desk, specialists and leaders; a batch is read by both sides' units and
    # confirmed by its receiving role (engine.dossier.handover)
    "handover.batches_page": R("GET", "/handover", HANDERS),
    "handover.new_batch": R("GET", "/handover/new", HANDERS),
    "handover.batch_page": R("GET", "/handover/{batch}", frozenset({"desk1", "specialist1", "leader1", "wardadmin"}),
                             frozenset({"desk2"})),
    "handover.receive": R("POST", "/handover/{batch}/receive", frozenset({"specialist1"}), NOBODY),
    "studio.revert": R("POST", "/studio/{ward_proc}/revert", EDITORS, CITY_EDITORS),
    "studio.new_procedure": R("GET", "/studio/new", EDITORS),
    # migration: any admin, of the dossiers of their units only (tests/security/test_scope.py)
    "studio.migration": R("GET", "/studio/{proc}/versions/{number}/migrate", ADMINS_A),
    "studio.migrate": R("POST", "/studio/{proc}/versions/{number}/migrate", ADMINS_A),
    # administration: admins of the unit or above it
    "admin.index": R("GET", "/admin/", ADMINS_A),
    "admin.audit": R("GET", "/admin/audit", ADMINS_A),
    "admin.audit_export": R("GET", "/admin/audit.xlsx", ADMINS_A),
    "admin.outbox_page": R("GET", "/admin/outbox", ADMINS_A),
    "admin.outbox_retry": R("POST", "/admin/outbox/{message_id}/retry", ADMINS_A, ADMIN),
    "admin.incidents_page": R("GET", "/admin/incidents", ADMINS_A),
    "admin.incident_retry": R("POST", "/admin/incidents/{incident}/retry", ADMINS_A, ADMIN),
    "admin.procedures": R("GET", "/admin/procedures", ADMINS_A),
    "admin.procedure": R("GET", "/admin/procedures/{proc}", ADMINS_A),
    "admin.procedure_export": R("GET", "/admin/procedures/{proc}/export", ADMINS_A),
    "admin.procedure_import": R("GET", "/admin/procedures/import", ADMIN),
    "admin.units": R("GET", "/admin/units", ADMINS_A),
    "admin.unit_new": R("GET", "/admin/units/new?parent={unit_id}", ADMINS_A, ADMIN),
    "admin.unit_edit": R("GET", "/admin/units/{unit_id}", ADMINS_A, ADMIN),
    "admin.unit_move": R("POST", "/admin/units/{unit_id}/move", ADMIN, ADMIN, {"parent": "H26"}),
    "admin.unit_procedures": R("GET", "/admin/units/{unit_id}/procedures", ADMINS_A, ADMIN),
    "printing.unit_settings": R("GET", "/admin/units/{unit_code}/documents", ADMINS_A, ADMIN),
    "admin.users": R("GET", "/admin/users", ADMINS_A),
    "admin.user_new": R("GET", "/admin/users/new", ADMINS_A),
    "admin.user_edit": R("GET", "/admin/users/{user_id}", ADMINS_A, ADMIN),
    "admin.user_deactivate": R("POST", "/admin/users/{user_id}/deactivate", ADMINS_A, ADMIN),
    "admin.user_activate": R("POST", "/admin/users/{user_id}/activate", ADMINS_A, ADMIN),
    "admin.user_grant": R("POST", "/admin/users/{user_id}/grants", ADMINS_A, ADMIN,
                          {"unit": "{unit_code}", "role": "mot_cua"}),
    "admin.user_revoke": R("POST", "/admin/users/{user_id}/grants/{grant_id}/revoke", ADMINS_A, ADMIN,
                           prepare="fresh_grant"),
    "admin.user_password": R("POST", "/admin/users/{user_id}/password", ADMINS_A, ADMIN,
                             {"password": "mat-khau-moi-2026"}),
    "admin.calendar_page": R("GET", "/admin/calendar?year=2027", ADMINS_A),
    "admin.calendar_confirm": R("POST", "/admin/calendar/confirm", ADMIN, data={"day": "2027-02-08"}),
    "admin.calendar_add": R("POST", "/admin/calendar/days", ADMINS_A, ADMIN,
                            {"day": "2026-12-30", "kind": "off", "unit": "{unit_code}"}),
    "admin.calendar_remove": R("POST", "/admin/calendar/days/remove", ADMINS_A, ADMIN,
                               {"day": "2026-12-31", "unit": "{unit_code}"}, prepare="calendar_day"),
    "admin.calendar_settings": R("POST", "/admin/calendar/settings", ADMINS_A, ADMIN,
                                 {"unit": "{unit_code}", "expected_days": "off", "code_format": "2018"}),
    # the REST API (bearer tokens; anonymous and applicant send none)
    "api.openapi": R("GET", "/api/v1/openapi.json", ALL),
    "api.procedures": R("GET", "/api/v1/procedures", ALL),
    "api.public_dossier": R("GET", "/api/v1/public/dossiers/{dossier}", ALL, ALL),
    "api.token": R("POST", "/api/v1/auth/token", ALL, data={"username": "consult1", "password": "demo1234"}),
    "api.refresh": R("POST", "/api/v1/auth/refresh", OFFICIALS),  # a live token of one's own, renewed
    "api.tasks": R("GET", "/api/v1/tasks", OFFICIALS),
    "api.calendar_days": R("GET", "/api/v1/calendar/days", OFFICIALS),
    "api.calendar_due": R("GET", "/api/v1/calendar/due?unit={unit_code}&from=2026-03-02T09:00&limit=P1D", OFFICIALS),
    "api.add_calendar_day": R("POST", "/api/v1/calendar/days", ADMINS_A, ADMIN,
                              {"day": "2026-12-30", "kind": "off", "unit": "{unit_code}"}),
    "api.remove_calendar_day": R("DELETE", "/api/v1/calendar/days/2026-12-31?unit={unit_code}", ADMINS_A, ADMIN,
                                 prepare="calendar_day"),
    "api.citizen_check": R("GET", "/api/v1/citizens/001088011223", DESKS),
    "api.create_dossier": R("POST", "/api/v1/dossiers", frozenset({"desk1"}), frozenset({"desk2"}),
                            {"procedure_code": "{proc}", "unit": "{unit_code}", "applicant": APPLICANT_DATA}),
    "api.get_dossier": R("GET", "/api/v1/dossiers/{dossier}", READERS_A, READERS_B),
    "api.dossier_documents": R("GET", "/api/v1/dossiers/{dossier}/documents", READERS_A, READERS_B),
    "api.add_dossier_document": R("POST", "/api/v1/dossiers/{dossier}/documents", CASE_A, DESK_B),
    "api.document_file": R("GET", "/api/v1/documents/{doc}", READERS_A, READERS_B),
    "api.extension": R("POST", "/api/v1/dossiers/{dossier}/extension", frozenset({"leader1"}), NOBODY),
    # a BPMN message: officials with a role in the dossier's unit (the world's dossier waits for none: 409)
    "api.deliver_message": R("POST", "/api/v1/dossiers/{dossier}/messages/ket_qua_xac_minh",
                             frozenset({"desk1", "specialist1", "leader1", "wardadmin"}), frozenset({"desk2"}),
                             {"payload": {}}),
    "api.task_form": R("GET", "/api/v1/tasks/{task}/form", READERS_A, READERS_B),
    "api.claim": R("POST", "/api/v1/tasks/{task}/claim", frozenset({"specialist1"}), NOBODY),
    "api.complete": R("POST", "/api/v1/tasks/{task}/complete", frozenset({"specialist1"}), NOBODY),
    "api.office_hours": R("PUT", "/api/v1/units/{unit_code}/office-hours", ADMINS_A, ADMIN),
}
# Test doubles of outside systems, mounted only when SIMULATORS is on (never in production).
SIMULATOR_PREFIX = "sim_"
