"""Who signs: each signature box of a document names the issuing jurisdiction's own bureaus — a city's
payment sheet 长治市人力资源和社会保障局 / 长治市财政局, a county's 潞州区人力资源和社会保障局 / 潞州区财政局
(issue 11 item 8) — read back from the .docx and the HTML as rendered from the database."""
import re

import pytest

from core.io.documents.registry import all_templates, render
from tests.documents.reading import docx_text, html_text, open_docx, table_row

LUZHOU = "changzhi-luzhou"
#: A box labelled with a bureau of a place written into the template rather than the jurisdiction's.
WRITTEN_IN_BUREAU = re.compile(r"[市区县](人力资源和社会保障局|人力资源社会保障局|人社局|财政局)意见")


def boxes(data, fmt, hrss):
    """The two opinion boxes' labels of a payment sheet: (HRSS bureau's, finance bureau's)."""
    if fmt == "docx":
        cells = table_row(open_docx(data), f"{hrss}意见")
        return cells[0], cells[2]
    labels = re.findall(r'<td class="label">([^<]*意见)</td>', data.decode("utf-8"))
    return tuple(labels)


def test_no_template_of_any_jurisdiction_writes_a_bureau_into_a_signature_box(registry):
    """issue 11 item 8: every template of every plugin takes its boxes' bureaus from the jurisdiction."""
    seen = 0
    for code, templates in all_templates().items():
        for template in templates:
            text = template.path.read_text(encoding="utf-8")  # the one source of its Word file and print view
            assert not WRITTEN_IN_BUREAU.search(text), (code, template.id, WRITTEN_IN_BUREAU.search(text))
            seen += 1
    assert seen >= 15


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_city_payment_sheet_is_signed_by_the_citys_bureaus(changzhi_case, karamay_case, fmt):
    for template, subsidy, city in (("changzhi.subsidy_sheet", changzhi_case["award"], "长治市"),
                                    ("karamay.operating_subsidy_sheet", karamay_case["paid"], "克拉玛依市")):
        data = render(template, subsidy.id, fmt)[0]
        assert boxes(data, fmt, f"{city}人力资源和社会保障局") == (f"{city}人力资源和社会保障局意见", f"{city}财政局意见")
        if fmt == "html":
            assert f"填报单位：{city}人力资源和社会保障局" in html_text(data)


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_county_payment_sheet_is_signed_by_the_countys_bureaus(db, registry, tmp_path, fmt):
    """潞州区's 拨付表 is issued by 潞州区人社局: its boxes read 潞州区, never 市人社局/市财政局."""
    from core.world.sample_records import build_sample_records

    records = build_sample_records(registry.get(LUZHOU), registry, tmp_path)
    data, filename, _ = render("changzhi.subsidy_sheet", records["subsidy"].id, fmt)
    assert filename.startswith("潞州区级人力资源服务产业园补助资金拨付表")
    assert boxes(data, fmt, "潞州区人力资源和社会保障局") == ("潞州区人力资源和社会保障局意见", "潞州区财政局意见")
    text = html_text(data) if fmt == "html" else docx_text(data)
    assert "填报单位：潞州区人力资源和社会保障局" in text
    assert "市人力资源和社会保障局意见" not in text and "市财政局" not in text


def test_a_jurisdiction_names_its_bureaus_and_a_county_may_rename_them(registry):
    from dataclasses import replace

    assert registry.get(LUZHOU).info.bureaus == {"hrss": "潞州区人力资源和社会保障局", "finance": "潞州区财政局"}
    assert registry.get("karamay").info.bureaus == {"hrss": "克拉玛依市人力资源和社会保障局", "finance": "克拉玛依市财政局"}
    zone = replace(registry.get(LUZHOU).info, name="高新区", finance_bureau="高新区财政金融局")
    assert zone.bureaus == {"hrss": "高新区人力资源和社会保障局", "finance": "高新区财政金融局"}
