"""非现场执法 in the demo (第四十一条): two monitoring devices of 示例县人社局, reviewed through
the review app and published on the portal, and their records in every review state: waiting,
usable (one has started a case, its file the case's evidence, and the party was told), not
usable with the reason."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

import time_machine
from django.utils import timezone
from PIL import Image, ImageDraw

from zhifa.accounts.models import Role, User
from zhifa.devices import manifest, services
from zhifa.devices.models import Device, DeviceEvent
from zhifa.documents.services import documents_render_pending
from zhifa.org.models import Agency
from zhifa.review import subjects

DEVICES: list[dict[str, Any]] = [
    {
        "code": "RS-JK-001",
        "name": "城关镇人力资源市场视频监控",
        "kind": "fixed",
        "location": "示例县城关镇人民路88号人力资源市场大厅",
        "latitude": Decimal("23.021500"),
        "longitude": Decimal("113.751200"),
        "detects": "职业中介机构发布虚假招聘信息、违规收取押金",
        "legal_basis": "《人力资源市场暂行条例》第四十三条、第四十七条",
        "check_body": "示例市计量检定测试所",
        "check_report": "SJ-2026-0311",
    },
    {
        "code": "RS-ZX-002",
        "name": "在建工地实名制考勤在线监测",
        "kind": "sensor",
        "location": "示例县东城新区安置房项目工地大门",
        "latitude": Decimal("23.034800"),
        "longitude": Decimal("113.768900"),
        "detects": "未按规定实行农民工实名制管理",
        "legal_basis": "《保障农民工工资支付条例》第二十八条、第五十五条",
        "check_body": "示例市计量检定测试所",
        "check_report": "SJ-2026-0312",
    },
]
# (device, record id, days ago, subject, violation, review: None waiting / True usable / False not)
RECORDS = [
    ("RS-JK-001", "JK-0001", 6, "示例县佳业职业中介有限公司", "向求职者收取押金", True),
    ("RS-JK-001", "JK-0002", 4, "示例县速聘人力资源服务部", "发布虚假招聘信息", False),
    ("RS-JK-001", "JK-0003", 1, "示例县佳业职业中介有限公司", "向求职者收取押金", None),
    ("RS-ZX-002", "ZX-0001", 5, "示例县东城建筑劳务有限公司", "未按规定实行农民工实名制管理", True),
    ("RS-ZX-002", "ZX-0002", 2, "示例县东城建筑劳务有限公司", "未按规定实行农民工实名制管理", None),
]
UNUSABLE = "画面被遮挡，无法辨认收费行为和当事人，记录不完整。"
USABLE = "画面清晰，时间、地点、当事人和违法行为可以辨认，记录真实完整。"


def _image(lines: list[str]) -> bytes:
    image = Image.new("RGB", (640, 360), (40, 44, 52))
    draw = ImageDraw.Draw(image)
    try:
        from zhifa.demo.evidence import _font

        font = _font(24)
    except Exception:  # Pillow's default font when the CJK one is missing
        font = None
    for row, text in enumerate(lines):
        draw.text((24, 24 + row * 40), text, fill=(230, 230, 230), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75)
    return out.getvalue()


def _archive(now: dt.datetime) -> bytes:
    out = io.BytesIO()
    rows = []
    with zipfile.ZipFile(out, "w") as archive:
        for code, ident, days, subject, violation, _ in RECORDS:
            when = now - dt.timedelta(days=days, hours=2)
            name = f"{ident}.jpg"
            archive.writestr(
                name, _image(["电子技术监控记录（演示）", code, ident, f"{when:%Y-%m-%d %H:%M}"])
            )
            rows.append(
                {
                    "device": code,
                    "id": ident,
                    "time": when.isoformat(),
                    "place": next(d["location"] for d in DEVICES if d["code"] == code),
                    "subject": subject,
                    "violation": violation,
                    "file": name,
                }
            )
        archive.writestr("manifest.json", json.dumps({"events": rows}, ensure_ascii=False, indent=1))
    return out.getvalue()


def load(agency: Agency, *, cases: bool = True) -> str:
    """Register, review, publish and fill the demo devices once; the sentence the demo prints."""
    if Device.objects.filter(agency=agency, code=DEVICES[0]["code"]).exists():
        return "演示非现场执法设备已存在（只在首次加载时生成）。"
    staff = User.objects.filter(is_active=True, officer__agency=agency, officer__is_active=True)
    head = staff.filter(role=Role.HEAD).first()
    reviewer = staff.filter(role=Role.REVIEWER).first()
    officer = staff.filter(role=Role.OFFICER).order_by("pk").first()
    if head is None or reviewer is None or officer is None:
        return f"{agency.name}缺少负责人、法制审核人员或执法人员账号，未生成演示非现场执法设备。"
    now = timezone.now()
    # Registered, reviewed and published ten days ago; the records come after.
    with time_machine.travel(now - dt.timedelta(days=10), tick=True):
        for spec in DEVICES:
            device = services.device_register(
                actor=head, agency=agency, checked_on=timezone.localdate() - dt.timedelta(days=40), **spec
            )
            review = services.device_submit_review(actor=head, device=device)
            subjects.subject_review_record(
                actor=reviewer,
                review=review,
                opinion="agree",
                reasons="设置依据充分，技术检验合格，标志明显。",
            )
            services.device_publish(actor=head, device=device)
    # Imported, reviewed and one case started yesterday: the demo's history ends before today.
    with time_machine.travel(now - dt.timedelta(days=1), tick=True):
        result = services.device_events_import(actor=officer, entries=manifest.from_zip(_archive(now)))
        by_id = {e.external_id: e for e in DeviceEvent.objects.filter(agency=agency)}
        started = 0
        for _, ident, _, _, _, usable in RECORDS:
            record = by_id[ident]
            if usable is None:
                continue
            services.device_event_review(
                actor=officer, record=record, usable=usable, reason=USABLE if usable else UNUSABLE
            )
            if usable and cases and started == 0:
                services.device_event_case_start(actor=officer, record=record)
                services.device_event_notify(actor=officer, record=record)
                started += 1
        documents_render_pending()  # the worker signs the notice
    return (
        f"{agency.short_name or agency.name}登记电子技术监控设备 {len(DEVICES)} 台（已审核并公布），"
        f"导入记录 {len(result.imported)} 条（待审核、可以使用、不能使用），据记录立案登记 {started} 件。"
    )
