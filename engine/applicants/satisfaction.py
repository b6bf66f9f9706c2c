"""Đánh giá mức độ hài lòng: the criteria of the national portal's satisfaction survey.

The national public-service portal asks an applicant to score how a dossier was served on six
aspects, each from 1 (rất không hài lòng) to 5 (rất hài lòng). A rating is *satisfied* — and so
counts as satisfied in Decision 766's satisfaction group and Decree 61's evaluation — when the
mean of its scores is at least 4 (hài lòng) and no aspect is below 3 (bình thường).
"""
from __future__ import annotations

from engine.ground.errors import Invalid

CRITERIA: dict[str, str] = {
    "access": "Tiếp cận dịch vụ (thông tin, cách nộp hồ sơ)",
    "procedure": "Thủ tục hành chính (công khai, rõ ràng, đúng quy định)",
    "officials": "Công chức tiếp nhận, giải quyết (thái độ, hướng dẫn)",
    "time": "Thời gian giải quyết (đúng hẹn)",
    "result": "Kết quả giải quyết (đúng, đầy đủ)",
    "feedback": "Tiếp nhận, xử lý ý kiến góp ý, phản ánh",
}
LEVELS: dict[int, str] = {1: "Rất không hài lòng", 2: "Không hài lòng", 3: "Bình thường",
                          4: "Hài lòng", 5: "Rất hài lòng"}
SATISFIED_MEAN = 4
LOWEST_SATISFIED = 3


def parse_scores(form: dict[str, str]) -> dict[str, int]:
    """criterion → 1..5 from fields named score_<criterion>; every criterion must be scored."""
    scores, errors = {}, {}
    for key, label in CRITERIA.items():
        raw = (form.get(f"score_{key}") or "").strip()
        if raw not in {"1", "2", "3", "4", "5"}:
            errors[f"score_{key}"] = f"Hãy chọn mức đánh giá cho «{label}»."
            continue
        scores[key] = int(raw)
    if errors:
        raise Invalid("Hãy đánh giá đủ sáu tiêu chí", errors)
    return scores


def is_satisfied(scores: dict[str, int]) -> bool:
    """Satisfied: mean of the scores ≥ 4 and none below 3."""
    values = list(scores.values())
    return bool(values) and sum(values) >= SATISFIED_MEAN * len(values) and min(values) >= LOWEST_SATISFIED
