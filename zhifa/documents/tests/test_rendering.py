"""Kinds, templates, filters and the DOCX converter (no database, no signing)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import docx
import pytest
from django.template.loader import get_template
from PIL import Image

from zhifa.core.errors import InvalidInput
from zhifa.documents.docx_writer import docx_from_html
from zhifa.documents.kinds import KINDS, RECORD_KINDS, kind_get
from zhifa.documents.rendering import Stamp, normalized_content, png_data_uri, render_html, render_pdf
from zhifa.documents.templatetags.document_tags import amount_in_words, cn_date, paragraphs, rmb_upper, yuan
from zhifa.documents.tests.samples import PENALTY, run_tool, sample_content
from zhifa.testing.document_text import document_lines, text_problems

EXPECTED_KINDS = [
    ("filing_approval", "立案审批表", "立"),
    ("inquiry_record", "询问笔录", "询"),
    ("inspection_record", "现场检查(勘验)笔录", "检"),
    ("rectification_order", "责令(限期)改正通知书", "责改"),
    ("preservation_notice", "先行登记保存通知书", "先保"),
    ("seizure_decision", "查封扣押决定书", "封扣"),
    ("investigation_report", "调查终结报告", "终"),
    ("collective_discussion_record", "集体讨论记录", "集"),
    ("legal_review_opinion", "法制审核意见书", "法审"),
    ("prior_notice", "行政处罚事先告知书", "告"),
    ("hearing_rights_notice", "听证告知书", "听告"),
    ("hearing_notice", "听证通知书", "听通"),
    ("hearing_record", "听证笔录", "听录"),
    ("statement_record", "陈述申辩笔录", "陈"),
    ("penalty_decision", "行政处罚决定书", "罚"),
    ("on_the_spot_decision", "当场行政处罚决定书", "当罚"),
    ("no_penalty_decision", "不予行政处罚决定书", "不罚"),
    ("service_receipt", "送达回证", "送"),
    ("credit_repair_notice", "信用修复告知书", "信"),
    ("payment_approval", "延期(分期)缴纳批准书", "缓"),
    ("reminder", "催告书", "催"),
    ("enforcement_application", "强制执行申请书", "执申"),
    ("transfer_letter", "案件移送函", "移"),
    ("closing_approval", "结案审批表", "结"),
    ("monitoring_notice", "电子技术监控记录告知书", "监告"),
    ("supervision_notice", "行政执法督办通知书", "督"),
    ("supervision_opinion", "行政执法监督意见书", "监意"),
    ("supervision_suggestion", "行政执法监督建议书", "监建"),
    ("evaluation_notice", "行政执法案卷评查情况通报", "评通"),
    ("filing_correction_opinion", "备案审查纠错意见书", "备纠"),
    ("assessment_notice", "行政执法工作考核结果通报", "考通"),
]

STAMP = Stamp(number="测监罚〔2026〕1号", verification_code="ABCDEFGHJK")


def agency_block():
    return {"name": "测试县人社局", "address": "测试路1号", "phone": "0999-1", "remedies": "可申请复议。"}


class TestKinds:
    def test_exactly_the_agreed_kinds(self):
        assert [(k.code, k.title, k.abbr) for k in KINDS.values()] == EXPECTED_KINDS

    def test_kind_characters_are_unique(self):
        assert len({k.abbr for k in KINDS.values()}) == len(KINDS)

    def test_every_kind_has_a_template(self):
        for kind in KINDS.values():
            assert get_template(kind.template)

    def test_record_kinds_are_kinds(self):
        assert set(KINDS) >= RECORD_KINDS

    def test_unknown_kind(self):
        with pytest.raises(InvalidInput, match="没有“x”这种执法文书"):
            kind_get("x")


class TestTemplates:
    @pytest.mark.parametrize("code", list(KINDS))
    def test_renders_with_only_the_agency(self, code):
        html = render_html(kind=KINDS[code], content={"agency": agency_block()}, stamp=STAMP)
        assert KINDS[code].title in html
        assert STAMP.number in html and "测试县人社局" in html

    @pytest.mark.parametrize("code", list(KINDS))
    def test_renders_the_case_block(self, code):
        content = {**sample_content(), "agency": agency_block(), "issued_on": "2026-04-01"}
        html = render_html(kind=KINDS[code], content=content, stamp=STAMP)
        assert "ABCDEFGHJK" in html and "<svg" in html

    def test_record_renders_fields_questions_and_signature_lines(self):
        record = {
            "fields": [["询问时间", "2026年3月3日9时"], ["询问地点", "询问室"]],
            "qa": [{"q": "你是否申请回避？", "a": "不申请。"}],
            "paragraphs": ["第一段\n第二段"],
            "signatures": ["被询问人", "询问人"],
        }
        html = render_html(
            kind=KINDS["inquiry_record"], content={"agency": agency_block(), "record": record}, stamp=STAMP
        )
        for text in ("询问时间：2026年3月3日9时", "你是否申请回避？", "答：不申请。", "<p>第二段</p>"):
            assert text in html
        assert "被询问人（签名）" in html and "询问人（签名）" in html

    def test_penalty_shows_amount_in_figures_and_words_and_remedies(self):
        content = {
            "agency": agency_block(),
            "fine_amount": "200",
            "penalty": "警告",
            "reconsideration_body": "测试县人民政府",
            "court": "测试县人民法院",
            "decided_on": "2026-04-01",
        }
        html = render_html(kind=KINDS["penalty_decision"], content=content, stamp=STAMP)
        assert "罚款人民币200.00元（贰佰元整）" in html
        assert "向测试县人民政府申请行政复议" in html and "向测试县人民法院提起行政诉讼" in html
        assert "2026年4月1日" in html

    @pytest.mark.parametrize(
        ("code", "typed", "fine", "clause"),
        [
            # As the head types it, and as 简易程序 writes it: the fine stated once, in words too.
            (
                "penalty_decision",
                "处以罚款人民币18000元。",
                "18000.00",
                "如下行政处罚：处以罚款人民币18,000.00元（壹万捌仟元整）。",
            ),
            (
                "on_the_spot_decision",
                "罚款人民币 200 元",
                "200.00",
                "处罚决定：罚款人民币200.00元（贰佰元整）。",
            ),
            (
                "penalty_decision",
                "警告，罚款1.8万元；",
                "18000",
                "警告，罚款人民币18,000.00元（壹万捌仟元整）。",
            ),
            ("penalty_decision", "警告", "200", "警告，罚款人民币200.00元（贰佰元整）。"),
            # A per-person rate is kept, the total matched and written once.
            (
                "penalty_decision",
                "每人罚款300元，共计罚款3600元",
                "3600",
                "每人罚款300元，共计罚款人民币3,600.00元（叁仟陆佰元整）。",
            ),
            (
                "penalty_decision",
                "按每人罚款300元计算",
                "3600",
                "按每人罚款300元计算，合计罚款人民币3,600.00元（叁仟陆佰元整）。",
            ),
            ("penalty_decision", "警告。", "", "如下行政处罚：警告。"),
        ],
    )
    def test_the_penalty_states_the_fine_once(self, code, typed, fine, clause):
        content = sample_content(agency=agency_block(), penalty=typed, fine_amount=fine)
        html = render_html(kind=KINDS[code], content=content, stamp=STAMP)
        assert clause in "".join(document_lines(html))
        assert text_problems(html) == []
        if fine:
            assert html.count(f"元（{rmb_upper(fine)}）") == 1  # the fine in words, once

    @pytest.mark.parametrize("code", list(KINDS))
    def test_every_kind_reads_without_doubled_clauses_or_stray_marks(self, code):
        content = sample_content(
            agency=agency_block(),
            **PENALTY,
            intended_penalty="警告，罚款人民币1234.50元。",
            proposed_penalty="警告。",
        )
        assert text_problems(render_html(kind=KINDS[code], content=content, stamp=STAMP)) == []

    def test_the_text_check_finds_what_the_old_templates_wrote(self):
        for written in (
            "<p>如下行政处罚：处以罚款人民币18000元。，罚款人民币18,000.00元（壹万捌仟元整）。</p>",
            "<p>处罚决定：罚款人民币 200 元，罚款人民币200.00元（贰佰元整）。</p>",
            "<p>根据《中华人民共和国行政处罚法》第五十六条和《中华人民共和国行政处罚法》第五十六条的规定</p>",
        ):
            assert text_problems(written), written

    def test_the_pdf_loads_inline_images_only(self, tmp_path):
        png = io.BytesIO()
        Image.new("RGBA", (210, 210), (200, 0, 0, 0)).save(png, format="PNG")
        on_disk = tmp_path / "seal.png"
        on_disk.write_bytes(png.getvalue())
        html = f'<img src="{on_disk.as_uri()}"><img src="{png_data_uri(png.getvalue())}">'
        pdf = tmp_path / "out.pdf"
        pdf.write_bytes(render_pdf(html))
        listed = run_tool("pdfimages", "-list", str(pdf))
        assert len(re.findall(r"\simage\s+210\s+210\s", listed)) == 1  # the data: URI, not the file

    def test_the_seal_sits_in_the_signature_only_when_issued(self):
        stamp = Stamp(number="测监罚〔2026〕1号", verification_code="ABCDEFGHJK", seal_png=b"\x89PNG")
        html = render_html(kind=KINDS["penalty_decision"], content={"agency": agency_block()}, stamp=stamp)
        assert 'class="seal no-docx" src="data:image/png;base64,iVBORw=="' in html
        preview = render_html(kind=KINDS["penalty_decision"], content={"agency": agency_block()}, stamp=None)
        assert "data:image/png" not in preview

    def test_remedies_fall_back_to_the_agencys_remedy_bodies_then_its_text(self):
        agency = {
            **agency_block(),
            "reconsideration_body": "测试县人民政府",
            "litigation_court": "测试县人民法院",
        }
        html = render_html(kind=KINDS["no_penalty_decision"], content={"agency": agency}, stamp=STAMP)
        assert "向测试县人民政府申请行政复议" in html and "向测试县人民法院提起行政诉讼" in html
        html = render_html(kind=KINDS["no_penalty_decision"], content={"agency": agency_block()}, stamp=STAMP)
        assert "可申请复议。" in html

    def test_hearing_right_is_only_told_when_the_party_has_it(self):
        base = {"agency": agency_block(), "intended_penalty": "罚款五千元"}
        without = render_html(kind=KINDS["prior_notice"], content=base, stamp=STAMP)
        with_right = render_html(
            kind=KINDS["prior_notice"],
            content={**base, "hearing_right": True, "hearing_request_due": "2026-04-08"},
            stamp=STAMP,
        )
        assert "要求举行听证" not in without
        assert "要求举行听证" in with_right and "2026年4月8日前" in with_right


class TestFilters:
    @pytest.mark.parametrize(
        ("amount", "words"),
        [
            ("200", "贰佰元整"),
            ("1234.5", "壹仟贰佰叁拾肆元伍角"),
            (Decimal("1005.07"), "壹仟零伍元零柒分"),
            ("100000", "壹拾万元整"),
            ("3000.00", "叁仟元整"),
            ("0.05", "伍分"),
            (50, "伍拾元"),
            ("1,010.10", "壹仟零壹拾元壹角"),
        ],
    )
    def test_amount_in_words(self, amount, words):
        assert rmb_upper(amount).startswith(words)

    @pytest.mark.parametrize("bad", ["-5", "abc", "1e20", "NaN"])
    def test_amount_in_words_refuses_what_is_not_an_amount(self, bad):
        with pytest.raises(ValueError):
            amount_in_words(bad)
        assert rmb_upper(bad) == bad  # shown as given, never lost

    def test_empty_amount_is_empty(self):
        assert rmb_upper("") == "" and rmb_upper(None) == "" and yuan("") == ""

    def test_yuan(self):
        assert yuan("86400") == "86,400.00" and yuan("1234.5") == "1,234.50"

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            ("2026-03-05", "2026年3月5日"),
            (dt.date(2026, 12, 1), "2026年12月1日"),
            ("2026-04-02T10:30", "2026年4月2日10时30分"),
            ("收到本通知书之日起十五日内", "收到本通知书之日起十五日内"),
            ("", ""),
        ],
    )
    def test_cn_date(self, value, text):
        assert cn_date(value) == text

    def test_cn_date_day_only(self):
        assert cn_date("2026-04-02T10:30", "day") == "2026年4月2日"

    def test_paragraphs_escape_each_line(self):
        assert paragraphs("甲\n\n<b>乙</b>") == "<p>甲</p><p>&lt;b&gt;乙&lt;/b&gt;</p>"


class TestContent:
    def test_normalized_content_is_json(self):
        content = normalized_content({"fine_amount": Decimal("200.00"), "on": dt.date(2026, 1, 2)})
        assert content == {"fine_amount": "200.00", "on": "2026-01-02"}

    def test_content_must_be_a_dict(self):
        with pytest.raises(InvalidInput):
            normalized_content(["a"])


class TestDocx:
    def test_headings_paragraphs_tables_and_breaks(self):
        html = (
            "<html><head><style>p{}</style></head><body>"
            '<div class="verify no-docx"><svg></svg>核验码</div>'
            '<p class="doc-agency">测试局</p><hr class="red-rule"><h1>立案审批表</h1>'
            '<p class="doc-number">测监立〔2026〕1号</p>'
            "<p>第一行<br>第二行　<strong>加粗</strong></p>"
            '<table><tr><th>案由</th><td colspan="3">拖欠工资</td></tr>'
            "<tr><th>编号</th><td>1</td><th>来源</th><td><p>投诉</p><p>举报</p></td></tr></table>"
            "</body></html>"
        )
        word = docx.Document(io.BytesIO(docx_from_html(html, footer="以 PDF 为准")))
        texts = [p.text for p in word.paragraphs]
        assert texts[0] == "测试局" and "立案审批表" in texts and "测监立〔2026〕1号" in texts
        assert "第一行\n第二行　加粗" in texts
        assert not any("核验码" in t for t in texts)
        table = word.tables[0]
        assert [c.text for c in table.rows[0].cells][:2] == ["案由", "拖欠工资"]
        assert table.rows[1].cells[3].text == "投诉\n举报"
        assert word.sections[0].footer.paragraphs[0].text == "以 PDF 为准"
        bold = [r.text for p in word.paragraphs for r in p.runs if r.bold]
        assert "加粗" in bold
