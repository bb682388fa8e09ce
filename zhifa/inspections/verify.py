"""Recompute a draw from its public JSON (GET /api/inspections/draws/{id}) and say what differs.

Used by `zhifa inspections verify-draw`; the same rules as zhifa.inspections.drawing, from the
JSON alone (no database). `BadDocument` is input that is not a draw document at all (exit 2);
a list of differences is a draw that does not match its own inputs (exit 1).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from zhifa.inspections import drawing

HEX64 = frozenset("0123456789abcdef")


class BadDocument(ValueError):
    """Not a draw document (a missing field, a wrong type); the message is Chinese."""


def _need(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadDocument(f"抽取记录格式不正确：缺少“{where}”或其类型不对。")
    return value


def _strings(value: Any, where: str) -> list[str]:
    items = _need(value, list, where)
    for item in items:
        _need(item, str, where)
    return items


def _hex64(value: Any, where: str) -> str:
    text = _need(value, str, where)
    if len(text) != 64 or not set(text) <= HEX64:
        raise BadDocument(f"抽取记录格式不正确：“{where}”应为 64 位小写十六进制。")
    return text


def recompute(document: Any) -> list[str]:
    """The differences between the document and a draw recomputed from its inputs (empty: match)."""
    doc = _need(document, dict, "（整个文档）")
    plan = _need(doc.get("plan"), str, "plan")
    seed_hex = _hex64(doc.get("seed"), "seed")
    inputs = _need(doc.get("inputs"), dict, "inputs")
    snapshot = _hex64(inputs.get("snapshot_sha256"), "inputs.snapshot_sha256")
    checkpoint = _need(inputs.get("checkpoint"), dict, "inputs.checkpoint")
    _need(checkpoint.get("size"), int, "inputs.checkpoint.size")
    root = _hex64(checkpoint.get("root"), "inputs.checkpoint.root")
    witness = _need(inputs.get("witness"), str, "inputs.witness")
    strata = _need(doc.get("strata"), list, "strata")
    pools = _need(doc.get("pools"), list, "pools")
    tasks = _need(doc.get("tasks"), list, "tasks")

    problems: list[str] = []
    population: list[str] = []
    for i, stratum in enumerate(strata):
        _need(stratum, dict, f"strata[{i}]")
        _need(stratum.get("class"), str, f"strata[{i}].class")
        _need(stratum.get("ratio"), str, f"strata[{i}].ratio")
        population.extend(_strings(stratum.get("population"), f"strata[{i}].population"))
        _strings(stratum.get("selected"), f"strata[{i}].selected")
    ordered = sorted(population)
    if len(set(ordered)) != len(ordered):
        problems.append("各层的 population 中有重复的统一社会信用代码。")
    if drawing.snapshot_sha256(ordered) != snapshot:
        problems.append(
            "population 的统一社会信用代码（排序后以换行连接）的 SHA-256 与 inputs.snapshot_sha256 不符。"
        )

    seed = drawing.seed_of(plan=plan, snapshot=snapshot, root=root, witness=witness)
    if seed.hex() != seed_hex:
        problems.append(f"seed 不符：按输入重新计算应为 {seed.hex()}。")

    order: list[str] = []
    for i, stratum in enumerate(strata):
        try:
            ratio = Decimal(stratum["ratio"])
        except InvalidOperation:
            raise BadDocument(f"抽取记录格式不正确：strata[{i}].ratio 不是十进制数。") from None
        if not ratio.is_finite() or not Decimal(0) <= ratio <= Decimal(1):
            raise BadDocument(f"抽取记录格式不正确：strata[{i}].ratio 应在 0 到 1 之间。")
        expected = [c for c, _ in drawing.select(seed, stratum["population"], ratio)]
        if stratum["selected"] != expected:
            problems.append(
                f"第 {i + 1} 层（{stratum['class']} 类）selected 不符：应为 {len(expected)} 户 "
                f"{', '.join(expected[:5])}{' …' if len(expected) > 5 else ''}。"
            )
        order.extend(expected)

    eligible: list[list[str]] = []
    for i, pool in enumerate(pools):
        _need(pool, dict, f"pools[{i}]")
        eligible.append(_strings(pool.get("eligible"), f"pools[{i}].eligible"))
    everyone = {c for pool in eligible for c in pool}
    subjects = [_need(t, dict, "tasks[]").get("subject") for t in tasks]
    if subjects != order:
        problems.append("tasks 的检查对象与按种子重新抽取的结果（按层、按抽取次序）不一致。")
    key_of = drawing.keyer(seed)
    for i, task in enumerate(tasks):
        subject = _need(task.get("subject"), str, f"tasks[{i}].subject")
        shown = _strings(task.get("inspectors"), f"tasks[{i}].inspectors")
        skipped_entries = _need(task.get("skipped", []), list, f"tasks[{i}].skipped")
        skipped = [
            _need(_need(s, dict, f"tasks[{i}].skipped[]").get("certificate"), str, "certificate")
            for s in skipped_entries
        ]
        strangers = [c for c in skipped if c not in everyone]
        if strangers:
            problems.append(f"{subject} 的回避人员 {', '.join(strangers)} 不在任何机关的检查人员名录中。")
        expected_inspectors: list[str] = []
        for pool in eligible:
            ranked = [c for c, _ in drawing.rank(seed, subject, pool, key_of)]
            expected_inspectors.extend(drawing.pick(ranked, skipped))
        if shown != expected_inspectors:
            problems.append(
                f"{subject} 的检查人员不符：按排名并跳过回避人员应为 {', '.join(expected_inspectors)}，"
                f"记录为 {', '.join(shown)}。"
            )
    return problems


def compare_with_record(document: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """Differences between a document and the draw as the ledger recorded it (the draw's leaf)."""
    problems = []
    for key in ("plan", "seed"):
        if document.get(key) != record.get(key):
            problems.append(f"{key} 与账本中的抽取记录不符。")
    if document.get("inputs") != record.get("inputs"):
        problems.append("inputs 与账本中的抽取记录不符。")
    strata = document.get("strata") or []
    recorded = record.get("strata") or []
    if len(strata) != len(recorded):
        problems.append("strata 的层数与账本中的抽取记录不符。")
    for mine, theirs in zip(strata, recorded, strict=False):
        for key in ("class", "ratio", "selected"):
            if mine.get(key) != theirs.get(key):
                problems.append(f"{theirs.get('class')} 类的 {key} 与账本中的抽取记录不符。")
        if len(mine.get("population") or []) != theirs.get("population"):
            problems.append(f"{theirs.get('class')} 类的 population 户数与账本中的抽取记录不符。")
    pools = [p.get("eligible") for p in document.get("pools") or []]
    if pools != [p.get("eligible") for p in record.get("pools") or []]:
        problems.append("pools（各机关检查人员名录）与账本中的抽取记录不符。")
    return problems
