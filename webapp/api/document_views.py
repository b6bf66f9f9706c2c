"""API: a dossier's documents (scans, attachments, results): list, upload (multipart), download."""
from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user

from engine.dossier import case_file, lifecycle
from engine.dossier.documents import Upload, documents_of, get_document
from engine.ground.errors import Forbidden, Invalid, Unauthenticated
from engine.models import ApplicantDossier, Dossier
from webapp.api import bp
from webapp.api.auth import current_user as token_user
from webapp.api.auth import login_required
from webapp.api.openapi import CODE, ERROR, PATHS, SCHEMAS, SECURE, _errors, _ok
from webapp.api.schemas import iso
from webapp.db import get_session, now
from webapp.helpers import send_document


def document_json(doc) -> dict:
    """One document of a dossier, as the API lists it."""
    return {"id": doc.id, "kind": doc.kind, "title": doc.title, "checklist_item": doc.checklist_index,
            "content_type": doc.content_type, "sha256": doc.sha256, "size": doc.size,
            "signed": case_file.is_signed(doc), "created_at": iso(doc.uploaded_at), "by": doc.uploaded_by_id,
            "reused_from": doc.reused_from_id, "reference_number": doc.reference_number,
            "reference_date": doc.reference_date.isoformat() if doc.reference_date else None,
            "url": f"/api/v1/documents/{doc.id}"}


def _viewable(code: str) -> Dossier:
    session = get_session()
    dossier = lifecycle.get_dossier(session, code)
    if not lifecycle.can_view(g.user, dossier, session):
        raise Forbidden("Hồ sơ không thuộc đơn vị của bạn")
    return dossier


@bp.get("/dossiers/<code>/documents")
@login_required
def dossier_documents(code: str):
    """The dossier's documents, oldest first."""
    return {"items": [document_json(d) for d in documents_of(get_session(), _viewable(code))]}


@bp.post("/dossiers/<code>/documents")
@login_required
def add_dossier_document(code: str):
    """Add a scan (per checklist item), an attachment or a result: multipart `file`, `kind`, `checklist_item`
    or `title` (and `reference_number`, `reference_date` for an agency's letter)."""
    session, dossier = get_session(), _viewable(code)
    case_file.require_may_add(session, g.user, dossier)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("Thiếu tệp: gửi multipart/form-data với trường file", {"file": "Cần một tệp PDF, JPEG hoặc PNG."})
    form = request.form
    meta = case_file.parse_meta(form.get("kind"), form.get("checklist_item"), form.get("title", ""),
                                form.get("reference_number", ""), form.get("reference_date", ""))
    document = case_file.add_document(session, current_app.config["STORAGE_DIR"], dossier,
                                      Upload(upload.filename, upload.read()), meta, g.user, now())
    session.commit()
    return document_json(document), 201


@bp.get("/documents/<int:document_id>")
def document_file(document_id: int):
    """The file, checked against its hash: for officials who may see the dossier (bearer token) and for the
    dossier's applicant (signed in on the portal)."""
    session = get_session()
    doc = get_document(session, document_id)
    dossier = session.get(Dossier, doc.dossier_id)
    if request.headers.get("Authorization"):
        if not lifecycle.can_view(token_user(), dossier, session):
            raise Forbidden("Hồ sơ không thuộc đơn vị của bạn")
    elif current_user.is_authenticated and current_user.kind == "applicant":
        link = session.get(ApplicantDossier, dossier.id)
        if link is None or link.account_id != current_user.user.id:
            raise Forbidden("Tệp này không thuộc hồ sơ của Ông/Bà")
    elif current_user.is_authenticated:  # an official signed in on the site
        from webapp.auth import official

        if not lifecycle.can_view(official(), dossier, session):
            raise Forbidden("Hồ sơ không thuộc đơn vị của bạn")
    else:
        raise Unauthenticated("Cần đăng nhập: thiếu mã truy cập (Authorization: Bearer …)")
    return send_document(session, doc, current_app.config["STORAGE_DIR"], as_attachment=False)


DOCUMENT = {"type": "object", "required": ["id", "kind", "title", "sha256", "size", "signed", "created_at", "by"],
            "properties": {"id": {"type": "integer"}, "kind": {"type": "string", "enum": list(case_file.KINDS)},
                           "title": {"type": "string"}, "checklist_item": {"type": ["integer", "null"]},
                           "content_type": {"type": "string"}, "sha256": {"type": "string"},
                           "size": {"type": "integer"}, "signed": {"type": "boolean"},
                           "created_at": {"type": "string", "format": "date-time"},
                           "by": {"type": ["integer", "null"], "description": "Người tải lên (id cán bộ)"},
                           "reused_from": {"type": ["integer", "null"],
                                           "description": "Giấy tờ trong kho dữ liệu của công dân được dùng lại"},
                           "reference_number": {"type": ["string", "null"]},
                           "reference_date": {"type": ["string", "null"], "format": "date"},
                           "url": {"type": "string"}}}
SCHEMAS["Document"] = DOCUMENT
PATHS["/dossiers/{code}/documents"] = {
    "get": {"summary": "Giấy tờ của hồ sơ", "security": SECURE, "parameters": CODE,
            "responses": _ok({"type": "object", "properties": {"items": {
                "type": "array", "items": {"$ref": "#/components/schemas/Document"}}}}) | _errors(401, 403, 404)},
    "post": {"summary": "Thêm bản quét, tài liệu đính kèm hoặc kết quả", "security": SECURE, "parameters": CODE,
             "description": case_file.LIMIT_TEXT,
             "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["file"],
                 "properties": {"file": {"type": "string", "format": "binary"},
                                "kind": {"type": "string", "enum": list(case_file.KINDS), "default": "scan"},
                                "checklist_item": {"type": "integer",
                                                   "description": "Số thứ tự thành phần hồ sơ (0, 1, …)"},
                                "title": {"type": "string", "description": "Tên, khi không thuộc danh mục"},
                                "reference_number": {"type": "string", "description": "Số văn bản"},
                                "reference_date": {"type": "string", "format": "date"}}}}}},
             "responses": _ok({"$ref": "#/components/schemas/Document"}, "Đã thêm", "201")
             | _errors(401, 403, 404, 422)}}
PATHS["/documents/{id}"] = {"get": {
    "summary": "Tệp của hồ sơ (kiểm tra mã băm trước khi gửi)", "security": SECURE,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
    "responses": {"200": {"description": "Tệp", "content": {t: {} for t in ("application/pdf", "image/jpeg",
                                                                              "image/png")}},
                  "409": {"description": "Tệp đã bị thay đổi", "content": {"application/json": {"schema": ERROR}}}}
    | _errors(401, 403, 404)}}
