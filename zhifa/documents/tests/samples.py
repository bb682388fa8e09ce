"""Sample content (the contract the cases app fills) and the poppler tools the PDF checks use."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest


def sample_content(**extra: Any) -> dict[str, Any]:
    return {
        "case": {
            "number": "测监案〔2026〕7号",
            "cause": "未按时足额支付劳动报酬",
            "procedure_label": "普通程序",
            "matter": {"code": "M0001", "name": "用人单位未按时足额支付劳动报酬"},
            "party": {
                "kind": "organisation",
                "kind_label": "法人或者其他组织",
                "name": "测试某某建筑有限公司",
                "id_label": "统一社会信用代码",
                "id_number": "91990121MA00000001",
                "address": "测试县建设路1号",
                "phone": "0999-6000000",
                "representative": "张某",
            },
            "handlers": [
                {"name": "李明", "certificate_number": "99012100001"},
                {"name": "王芳", "certificate_number": "99012100002"},
            ],
            "filed_on": "2026-03-02",
            "source_label": "投诉举报",
            "received_on": "2026-03-01",
            "bases": [
                {
                    "role_label": "违法依据",
                    "law_title": "劳动保障监察条例",
                    "article_label": "第二十六条",
                    "text": "用人单位有下列行为之一的……",
                }
            ],
        },
        **extra,
    }


PENALTY = {
    "facts": "当事人拖欠12名劳动者工资共计人民币86,400元。",
    "evidence": ["投诉登记表", "询问笔录3份"],
    "basis_text": "《劳动保障监察条例》第二十六条",
    "discretion": "初次违法，从轻处罚。",
    "defence_summary": "",
    "penalty": "警告",
    "fine_amount": "1234.50",
    "payment_due_text": "自收到本决定书之日起十五日内",
    "payment_channel": "非税收入电子缴款",
    "payment_code": "99010000000000012345",
    "collecting_bank": "示例银行测试县支行（非税收入代收）",
    "reconsideration_body": "测试县人民政府",
    "court": "测试县人民法院",
    "decided_on": "2026-04-01",
    "device_name": "人民路口固定式电子监控设备（SZ-001）",
    "device_location": "示例市人民路与解放路交叉口",
    "occurred_at": "2026-03-01 09:30",
    "record_place": "人民路与解放路交叉口北侧",
    "record_subject": "示A12345",
    "record_description": "占道经营",
    "sha256": "ab" * 32,
    "sm3": "cd" * 32,
    "access_code": "K7Q2M9XR",
    "query_place": "本机关执法大厅",
}


def run_tool(*args: str) -> str:
    """Run a poppler tool (pdfsig, pdffonts, pdftotext); skipped where poppler-utils is missing."""
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} not installed (poppler-utils; scripts/ensure-system-packages.sh installs it)")
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr
