"""The OpenAPI 3.1 document of the REST API."""
from __future__ import annotations

from webapp.api import bp

ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict:
    text = {400: "Yêu cầu sai", 401: "Chưa đăng nhập", 403: "Không có quyền", 404: "Không tìm thấy",
            409: "Xung đột: đã được xử lý hoặc đang do người khác giữ; mã step_failed: quy trình của hồ sơ dừng vì "
                 "lỗi (sự cố, quản trị viên chạy lại), bước vẫn chờ xử lý", 422: "Dữ liệu không hợp lệ"}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": ERROR}}} for c in codes}


def _ok(schema: dict, description: str = "OK", status: str = "200") -> dict:
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SECURE = [{"bearer": []}]
TASK_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
CODE = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
         "example": "H26.70-261127-0001"}]
REF = {name: {"$ref": f"#/components/schemas/{name}"} for name in ("Task", "Dossier", "Procedure")}

PATHS = {
    "/auth/token": {"post": {
        "summary": "Đổi tên đăng nhập và mật khẩu lấy mã truy cập", "requestBody": _body({
            "type": "object", "required": ["username", "password"],
            "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}),
        "responses": _ok({"type": "object", "properties": {"token": {"type": "string"}}}) | _errors(401, 422)}},
    "/auth/refresh": {"post": {
        "summary": "Gia hạn mã truy cập còn hiệu lực (mã sống 1 giờ; gia hạn được tới 12 giờ sau khi nhập mật khẩu)",
        "security": SECURE,
        "responses": _ok({"type": "object", "properties": {"token": {"type": "string"},
                                                           "expires_in": {"type": "integer"}}}) | _errors(401)}},
    "/procedures": {"get": {"summary": "Danh mục thủ tục đã công bố", "responses": _ok(
        {"type": "object", "properties": {"items": {"type": "array", "items": REF["Procedure"]}}})}},
    "/dossiers": {"post": {
        "summary": "Tiếp nhận hồ sơ tại Bộ phận Một cửa", "security": SECURE, "requestBody": _body({
            "type": "object", "required": ["procedure_code", "applicant"],
            "properties": {"procedure_code": {"type": "string"},
                           "channel": {"type": "string", "enum": ["in_person", "post", "online"]},
                           "unit": {"type": "string", "description": "Mã đơn vị, khi người dùng ở nhiều đơn vị"},
                           "applicant": {"$ref": "#/components/schemas/Applicant"},
                           "data": {"type": "object"},
                           "postmarked_at": {"type": "string", "format": "date-time",
                                             "description": "Dấu bưu điện (chỉ với kênh post): thời hạn tính từ đây"}}}),
        "responses": _ok({"type": "object", "description": "Mã nhóm liên thông: mở hồ sơ liên thông với `members`",
                          "properties": {
            "code": {"type": "string"}, "status": {"type": "string"},
            "due_at": {"type": ["string", "null"], "format": "date-time"},
            "members": {"type": "array", "items": {"$ref": "#/components/schemas/GroupMember"}}}}, "Đã tạo", "201")
        | _errors(401, 403, 404, 422)}},
    "/dossiers/{code}": {"get": {"summary": "Chi tiết hồ sơ", "security": SECURE, "parameters": CODE,
                                 "responses": _ok(REF["Dossier"]) | _errors(401, 403, 404)}},
    "/dossiers/{code}/messages/{name}": {"post": {
        "summary": "Gửi thông điệp BPMN tới hồ sơ đang chờ (sự kiện chờ, sự kiện biên, receiveTask); được ghi vào "
                   "lịch sử hồ sơ", "security": SECURE,
        "parameters": CODE + [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
                               "description": "Tên thông điệp (bpmn:message name) mà quy trình chờ"}],
        "requestBody": _body({"type": "object", "properties": {"payload": {
            "type": "object", "description": "Dữ liệu kèm thông điệp, thành dữ liệu của hồ sơ"}}}),
        "responses": _ok({"type": "object", "properties": {
            "code": {"type": "string"}, "status": {"type": "string"},
            "due_at": {"type": ["string", "null"], "format": "date-time"},
            "tasks": {"type": "array", "items": {"type": "string"}}}}) | _errors(401, 403, 404, 409, 422)}},
    "/tasks": {"get": {
        "summary": "Hồ sơ cần xử lý: công việc sẵn sàng theo vai trò và đơn vị, theo hạn", "security": SECURE,
        "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                       {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": 200}}],
        "responses": _ok({"type": "object", "properties": {
            "items": {"type": "array", "items": REF["Task"]}, "total": {"type": "integer"}}}) | _errors(401)}},
    "/tasks/{id}/form": {"get": {"summary": "Biểu mẫu form-js của công việc", "security": SECURE,
                                 "parameters": TASK_ID, "responses": _ok({"type": "object"}) | _errors(401, 404)}},
    "/tasks/{id}/claim": {"post": {"summary": "Nhận xử lý công việc", "security": SECURE, "parameters": TASK_ID,
                                   "responses": _ok(REF["Task"]) | _errors(401, 403, 404, 409)}},
    "/tasks/{id}/complete": {"post": {
        "summary": "Hoàn thành công việc", "security": SECURE, "parameters": TASK_ID,
        "requestBody": _body({"type": "object", "properties": {"data": {"type": "object"}}}),
        "responses": _ok({"type": "object"}) | _errors(401, 403, 404, 409, 422)}},
    "/public/dossiers/{code}": {"get": {
        "summary": "Tra cứu hồ sơ theo mã (không cần đăng nhập, không có thông tin cá nhân)", "parameters": CODE,
        "responses": _ok({"type": "object"}) | _errors(404)}},
}

DAY = [{"name": "day", "in": "path", "required": True, "schema": {"type": "string", "format": "date"}},
       {"name": "unit", "in": "query", "schema": {"type": "string"}, "description": "Mã đơn vị của ngày riêng"}]
PATHS |= {
    "/dossiers/{code}/extension": {"post": {
        "summary": "Gia hạn và xin lỗi (mẫu 04): lãnh đạo đơn vị, một lần, trước hạn ít nhất 1 ngày làm việc",
        "security": SECURE, "parameters": CODE, "requestBody": _body({
            "type": "object", "required": ["reason", "new_due_at"],
            "properties": {"reason": {"type": "string"},
                           "new_due_at": {"type": "string", "format": "date-time",
                                          "description": "Ngày giờ hẹn trả mới; chỉ ngày: cuối giờ làm việc ngày đó"}}}),
        "responses": _ok({"type": "object", "properties": {
            "due_at": {"type": "string"}, "original_due_at": {"type": "string"}, "form_04": {"type": "object"}}})
        | _errors(401, 403, 404, 409, 422)}},
    "/calendar/days": {
        "get": {"summary": "Lịch năm: ngày lễ, ngày hoán đổi và ngày quản trị khai báo", "security": SECURE,
                "parameters": [{"name": "year", "in": "query", "schema": {"type": "integer"}},
                               {"name": "unit", "in": "query", "schema": {"type": "string"}}],
                "responses": _ok({"type": "object", "properties": {"items": {"type": "array"}}})
                | _errors(401, 404)},
        "post": {"summary": "Khai báo ngày nghỉ hoặc ngày làm bù (quản trị)", "security": SECURE,
                 "requestBody": _body({"type": "object", "required": ["day", "kind"], "properties": {
                     "day": {"type": "string", "format": "date"}, "kind": {"type": "string", "enum": ["off", "working"]},
                     "note": {"type": "string"}, "unit": {"type": "string"}}}),
                 "responses": _ok({"type": "object"}, "Đã khai báo", "201") | _errors(401, 403, 404, 422)}},
    "/citizens/{id_number}": {"get": {
        "summary": "Đối chiếu số định danh và họ tên với CSDL quốc gia về dân cư (cán bộ Một cửa)",
        "security": SECURE,
        "parameters": [{"name": "id_number", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "name", "in": "query", "schema": {"type": "string"}}],
        "responses": _ok({"type": "object", "properties": {
            "status": {"type": "string", "enum": ["match", "mismatch", "not_found", "unavailable", "invalid"]},
            "message": {"type": "string"}, "prefill": {"type": "object"}, "differences": {"type": "object"}}})
        | _errors(401, 403)}},
    "/calendar/due": {"get": {
        "summary": "Hỏi đồng hồ: hạn xử lý mà hệ thống sẽ tính cho một hồ sơ tiếp nhận tại thời điểm đã cho (cán bộ)",
        "security": SECURE,
        "parameters": [
            {"name": "unit", "in": "query", "required": True, "schema": {"type": "string"}, "example": "H26.70"},
            {"name": "from", "in": "query", "required": True, "schema": {"type": "string"},
             "description": "Thời điểm tiếp nhận ISO 8601; không có múi giờ là giờ Việt Nam",
             "example": "2025-12-31T10:00"},
            {"name": "limit", "in": "query", "required": True, "schema": {"type": "string"},
             "description": "Thời hạn theo thời gian làm việc (ISO 8601): P1D, PT4H; P0D là trong ngày",
             "example": "P1D"}],
        "responses": _ok({"type": "object", "required": ["unit", "from", "limit", "clock_start", "due_at"],
                          "properties": {
                              "unit": {"type": "string"}, "from": {"type": "string", "format": "date-time"},
                              "limit": {"type": "string"}, "clock_start": {"type": "string", "format": "date-time"},
                              "due_at": {"type": "string", "format": "date-time", "example": "2026-01-05T10:00:00+07:00"},
                              "expected_days": {"type": "array", "items": {"type": "string", "format": "date"},
                                                "description": "Ngày dự kiến (chưa có văn bản xác nhận) mà kết quả phụ thuộc"}}})
        | _errors(401, 403, 404, 422)}},
    "/calendar/days/{day}": {"delete": {
        "summary": "Bỏ một ngày đã khai báo (quản trị)", "security": SECURE, "parameters": DAY,
        "responses": _ok({"type": "object"}) | _errors(401, 403, 404, 422)}},
    "/units/{code}/office-hours": {"put": {
        "summary": "Giờ làm việc, giờ chốt nhận hồ sơ và thời gian cảnh báo trước hạn của đơn vị (quản trị)",
        "security": SECURE, "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": _body({"type": "object", "required": ["office_hours"], "properties": {
            "office_hours": {"type": "string", "example": "07:30-11:30,13:00-17:00"},
            "same_day_cutoff": {"type": "string", "example": "15:00"},
            "warn_before": {"type": "string", "example": "P1D"}}}),
        "responses": _ok({"type": "object"}) | _errors(401, 403, 404, 422)}},
}

SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
    "Applicant": {"type": "object", "required": ["name"], "properties": {
        k: {"type": "string"} for k in ("name", "id_number", "address", "phone", "email", "authorised_person")}},
    "Procedure": {"type": "object", "properties": {
        "code": {"type": "string"}, "name": {"type": "string"}, "time_limit": {"type": "object"},
        "members": {"type": "array", "items": {"type": "string"},
                    "description": "Nhóm thủ tục liên thông: mã các thủ tục thành viên (chỉ có ở nhóm)"}}},
    "GroupMember": {"type": "object", "description": "Một hồ sơ thành viên của hồ sơ liên thông", "properties": {
        "code": {"type": ["string", "null"], "description": "Mã hồ sơ thành viên; null khi chưa mở"},
        "procedure": {"type": "string"}, "name": {"type": ["string", "null"], "description": "Tên thủ tục thành viên"},
        "unit": {"type": ["string", "null"]}, "status": {"type": "string"},
        "due_at": {"type": ["string", "null"], "format": "date-time"}}},
    "Task": {"type": "object", "required": ["id", "dossier_code", "element_id", "name", "role", "unit", "due_at", "form"],
             "properties": {"id": {"type": "integer"}, "dossier_code": {"type": "string"},
                            "element_id": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string"},
                            "unit": {"type": "string"}, "due_at": {"type": ["string", "null"]},
                            "form": {"type": ["string", "null"]}}},
    "Dossier": {"type": "object", "properties": {
        "code": {"type": "string"}, "status": {"type": "string"}, "due_at": {"type": ["string", "null"]},
        "original_due_at": {"type": ["string", "null"], "description": "Hạn trước khi gia hạn (mẫu 04)"},
        "lateness": {"type": ["string", "null"], "enum": ["early", "on_time", "late", None]},
        "group": {"type": ["string", "null"], "description": "Mã hồ sơ liên thông mà hồ sơ này là thành viên"},
        "members": {"type": "array", "items": {"$ref": "#/components/schemas/GroupMember"},
                    "description": "Hồ sơ liên thông (mã LT-…): các hồ sơ thành viên"},
        "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
        "control_slip": {"type": "array", "description": "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)",
                         "items": {"$ref": "#/components/schemas/SlipRow"}}}},
    "SlipRow": {"type": "object", "properties": {
        **{k: {"type": ["string", "null"]} for k in ("step", "element_id", "unit", "unit_name", "received_at",
                                                     "handed_over_at", "handed_by", "received_by", "due_at",
                                                     "result_label", "note")},
        "result": {"type": ["string", "null"], "enum": ["early", "on_time", "late", None]}}},
}


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document describing every endpoint."""
    return {"openapi": "3.1.0",
            "info": {"title": "Một Cửa API", "version": "1.0.0",
                     "description": "Hồ sơ thủ tục hành chính theo cơ chế một cửa"},
            "servers": [{"url": "/api/v1"}], "paths": PATHS,
            "components": {"schemas": SCHEMAS,
                           "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}}
