"""The redaction engine: each category masked, the public facts kept, the style, the API and the
`zhifa redact` command. No database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zhifa.disclosure.redaction import Style, find, mask_id, mask_name, redact, redact_fields

ID = "11010519491231002X"  # the GB 11643 example, valid check character
USCC = "91350100M000100Y43"  # a valid 统一社会信用代码


def masked(text: str, **kwargs) -> str:
    return redact(text, **kwargs).text


class TestIdentityNumbers:
    # 44030519920327963X passes both the GB 11643 and the GB 32100 (统一社会信用代码) check.
    COLLIDING = "44030519920327963X"

    def test_an_identity_number_that_passes_the_credit_code_check_is_masked(self):
        from stdnum.cn import ric, uscc

        assert ric.is_valid(self.COLLIDING) and uscc.is_valid(self.COLLIDING)
        assert masked(f"公民身份号码：{self.COLLIDING}。") == "公民身份号码：440305********963X。"
        assert self.COLLIDING not in masked(f"当事人张三{self.COLLIDING}，男")
        assert self.COLLIDING not in masked(f"编号{self.COLLIDING}")

    def test_a_credit_code_label_keeps_the_colliding_number(self):
        assert masked(f"统一社会信用代码：{self.COLLIDING}") == f"统一社会信用代码：{self.COLLIDING}"

    def test_eighteen_digit_id_keeps_first_six_and_last_four(self):
        assert masked(f"身份证号：{ID}。") == "身份证号：110105********002X。"

    def test_id_without_label_is_recognised_by_its_check_character(self):
        assert ID not in masked(f"张三{ID}")

    def test_lower_case_x_and_spaced_groups(self):
        assert masked("号码110105 19491231 002x") == "号码110105********002X"

    def test_fifteen_digit_legacy_id(self):
        assert (
            masked("居民身份证号码：330822560703101（一代证）") == "居民身份证号码：330822*****3101（一代证）"
        )

    def test_full_width_id(self):
        out = masked("身份证号：１１０１０５１９４９１２３１００２Ｘ，")
        assert out == "身份证号：110105********002X，"

    def test_uscc_is_kept_and_not_taken_for_an_id_or_a_card(self):
        text = f"统一社会信用代码：{USCC}，注册号：330106000123456。"
        assert masked(text) == text

    def test_all_digit_uscc_is_kept_when_labelled(self):
        code = "913301007042043560"
        from stdnum.cn import uscc

        code = code[:-1] + uscc.calc_check_digit(code[:-1])
        text = f"统一社会信用代码：{code}"
        assert masked(text) == text


class TestPhones:
    @pytest.mark.parametrize(
        "number",
        [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "0086-13812345678",
            "+8613812345678",
            "１３８１２３４５６７８",
        ],
    )
    def test_mobile_variants(self, number):
        assert masked(f"电话：{number}。") == "电话：138****5678。"

    @pytest.mark.parametrize(
        ("number", "expected"),
        [
            ("0571-88886666", "057*****6666"),
            ("0571-88886666转123", "057*****6666"),
            ("(0578)3134567", "057****4567"),
            ("（0578）3134567-8", "057****4567"),
            ("010 6512 3456", "010****3456"),
        ],
    )
    def test_landlines_with_area_code_and_extension(self, number, expected):
        assert masked(f"联系电话：{number}，") == f"联系电话：{expected}，"

    def test_local_number_only_after_a_phone_label(self):
        assert masked("联系电话：88886666") == "联系电话：888*6666"
        assert masked("货值88886666元") == "货值88886666元"


class TestBankCards:
    def test_luhn_card_keeps_last_four(self):
        assert masked("卡号6222021234567890123。") == "卡号***************0123。"

    def test_grouped_card(self):
        assert masked("银行卡6228 4803 2811 7654 312") == "银行卡***************4312"

    def test_number_failing_luhn_without_label_is_not_a_card(self):
        text = "编号6222021234567890124"
        assert masked(text) == text

    def test_agency_collection_account_is_public(self):
        text = "罚款缴入财政局非税收入专户，收款账号：6222021234567890123。"
        assert masked(text) == text


class TestOtherIdentifiers:
    def test_email_keeps_first_character_and_domain(self):
        assert masked("邮箱：zhang.san@example.com。") == "邮箱：z***@example.com。"

    @pytest.mark.parametrize(
        ("plate", "expected"),
        [
            ("浙A12345", "浙A*****"),
            ("浙A·8K2M5", "浙A*****"),
            ("浙AD12345", "浙A******"),
            ("浙E8765挂", "浙E*****"),
            ("浙D1234学", "浙D*****"),
            ("京A0123警", "京A*****"),
            ("使014578", "使******"),
        ],
    )
    def test_plates(self, plate, expected):
        assert masked(f"驾驶{plate}车辆") == f"驾驶{expected}车辆"

    def test_passport_by_pattern_and_by_label(self):
        assert masked("护照号码：E12345678") == "护照号码：E********"
        assert masked("护照号码：BV1234567，") == "护照号码：B********，"


class TestAddresses:
    def test_detail_below_the_township_is_masked(self):
        text = "住址：浙江省杭州市西湖区三墩镇兰里村5组18号，"
        assert masked(text) == "住址：浙江省杭州市西湖区三墩镇****，"

    def test_building_and_room(self):
        out = masked("住所：杭州市西湖区文三路188号华星大厦1201室。")
        assert out == "住所：杭州市西湖区****。"

    def test_numbered_address_in_the_narrative(self):
        assert masked("当事人家住杭州市西湖区文一西路522号3幢602室。") == "当事人家住杭州市西湖区****。"

    def test_place_of_the_act_without_a_number_is_kept(self):
        text = "当事人在定海区解放西路与芙蓉洲路交叉口摆摊。"
        assert masked(text) == text

    def test_agency_names_are_kept(self):
        text = "杭州市西湖区市场监督管理局、仙居县农业农村局、湖州市公路与运输管理中心"
        assert masked(text) == text


class TestNames:
    def test_third_persons_after_a_role_or_a_hiring_verb(self):
        assert (
            masked("当事人王建华经营的理发店安排学徒李小龙、张伟每天工作12小时。")
            == "当事人王**经营的理发店安排学徒李**、张*每天工作12小时。"
        )
        assert masked("其经营的超市雇用李小龙。") == "其经营的超市雇用李**。"
        assert masked("聘用欧阳娜娜打扫") == "聘用欧阳**打扫"

    @pytest.mark.parametrize(
        "text",
        [
            "用人单位延长劳动者工作时间，60名劳动者。",
            "执法人员张贴了查封公告。",
            "投保安全生产责任保险。",
            "委托会计师事务所进行审计。",
            "院长担任审判长时的回避。",
            "员工宿舍应当设有出口。",
            "黄金、王府井、陈列、周末、高温、万元、钱款、何时、孙子兵法",
        ],
    )
    def test_ordinary_words_after_a_role_are_not_names(self, text):
        assert masked(text) == text

    def test_names_after_markers_and_every_later_occurrence(self):
        out = masked("当事人：张三丰，男。证人：李四、王五。经查，张三丰承认，李四证实。")
        assert out == "当事人：张**，男。证人：李*、王*。经查，张**承认，李*证实。"

    def test_known_names_are_masked_wherever_they_are(self):
        assert masked("经核实，赵敏在场。", names=["赵敏"]) == "经核实，赵*在场。"

    def test_compound_surname_is_kept_whole(self):
        assert masked("法定代表人：欧阳娜娜。") == "法定代表人：欧阳**。"
        assert mask_name("司马懿") == "司马*"

    def test_organisation_party_is_kept_but_its_representative_masked(self):
        text = "当事人：杭州华美贸易有限公司，法定代表人：李明华。"
        assert masked(text) == "当事人：杭州华美贸易有限公司，法定代表人：李**。"

    def test_already_masked_names_are_left(self):
        text = "当事人张某某、李某于2025年"
        assert masked(text) == text

    def test_procedure_words_after_当事人_are_not_names(self):
        text = "当事人陈述申辩称，当事人应当改正，当事人于2025年3月1日"
        assert masked(text) == text

    def test_name_before_gender_and_ethnic_names(self):
        assert masked("经查明张三，男，") == "经查明张*，男，"
        assert masked("店员买买提·艾力证实") == "店员买*****证实"

    def test_organisation_given_as_a_known_name_is_not_masked(self):
        text = "杭州华美贸易有限公司"
        assert masked(text, names=[text]) == text


class TestPublicFacts:
    def test_document_numbers_amounts_dates_citations_kept(self):
        text = (
            "杭西市监罚〔2025〕12号\n依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项，"
            "罚款人民币50000元。2025年4月8日\n"
        )
        assert masked(text) == text


class TestOutputShape:
    def test_everything_else_is_left_as_it_was(self):
        text = "第一行１２３\r\n当事人：张三，电话13812345678\r\n\t末行　全角空格\n"
        out = masked(text)
        assert out == "第一行１２３\r\n当事人：张*，电话138****5678\r\n\t末行　全角空格\n"

    def test_marks_point_at_the_masked_text(self):
        result = redact("当事人：张三，电话13812345678，身份证号11010519491231002X")
        assert [(result.text[m.start : m.end], m.category) for m in result.marks] == [
            ("张*", "name"),
            ("138****5678", "phone"),
            ("110105********002X", "id_card"),
        ]

    def test_find_gives_spans_in_the_original(self):
        text = "电话１３８１２３４５６７８"
        (span,) = find(text)
        assert text[span.start : span.end] == "１３８１２３４５６７８"


class TestRedactFields:
    def test_a_name_found_in_one_field_is_masked_in_all(self):
        fields, marks = redact_fields(
            {"party": "当事人：周建国，男", "facts": "周建国销售过期食品。", "empty": ""}
        )
        assert fields == {"party": "当事人：周**，男", "facts": "周**销售过期食品。", "empty": ""}
        assert marks == {"party": [[4, 7, "name"]], "facts": [[0, 3, "name"]], "empty": []}


class TestStyle:
    def test_mask_id_and_name(self):
        assert mask_id("110105194912310021") == "110105********0021"
        assert mask_name("张三") == "张*"
        assert mask_name("艾尔肯·吐尔逊") == "艾******"

    def test_setting_changes_the_style(self, settings):
        settings.ZHIFA_REDACTION_STYLE = {"mask_char": "×", "name_fixed_length": 2, "address_mask": "××"}
        assert masked("当事人：张三丰，住址：杭州市西湖区文三路1号") == "当事人：张××，住址：杭州市西湖区××"

    def test_an_explicit_style_argument(self):
        style = Style(phone_keep_head=0, phone_keep_tail=0)
        assert redact("电话13812345678", style=style).text == "电话***********"

    @pytest.mark.parametrize(
        "values", [{"no_such_key": 1}, {"mask_char": 1}, {"mask_char": "X"}, {"address_mask": "无1"}]
    )
    def test_bad_style_is_refused(self, values):
        with pytest.raises(ValueError):
            Style.from_mapping(values)


def zhifa_script() -> str:
    script = Path(sys.executable).with_name("zhifa")
    return str(script) if script.exists() else shutil.which("zhifa") or "zhifa"


class TestCommand:
    """`zhifa redact` as an operator runs it; the database URL points nowhere to prove it is not used."""

    @staticmethod
    def run(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "ZHIFA_SECRET_KEY": "t"}
        env.pop("ZHIFA_REDACTION_STYLE", None)
        return subprocess.run(
            [zhifa_script(), "redact", *args],
            input=data,
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )

    def test_filter_keeps_every_other_byte(self):
        text = "当事人：张三，电话１３８１２３４５６７８\r\n罚款5000元。\n\n最后一行无换行"
        done = self.run(text.encode(), "--names", "王五,赵六", "--marks")
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.decode() == "当事人：张*，电话138****5678\r\n罚款5000元。\n\n最后一行无换行"
        assert json.loads(done.stderr) == [[4, 6, "name"], [9, 20, "phone"]]

    def test_names_and_style_options(self):
        done = self.run("王五到场".encode(), "--names", "王五，赵六", "--style", '{"mask_char": "×"}')
        assert (done.returncode, done.stdout.decode()) == (0, "王×到场")

    def test_invalid_utf8_exits_2_with_a_message(self):
        done = self.run(b"\xff\xfe\x00abc")
        assert done.returncode == 2
        assert done.stdout == b""
        assert "不是有效的 UTF-8" in done.stderr.decode()

    def test_bad_style_exits_2(self):
        done = self.run(b"x", "--style", "[1]")
        assert done.returncode == 2
        assert "脱敏样式无效" in done.stderr.decode()
