"""The public site (/public/): each page lists exactly what is public and nothing personal, answers
304 to a browser that holds it, keeps a fixed number of queries as the parks grow, and refuses
hostile addresses with a 4xx, never a 500."""
import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from core.records.models import Assessment, PublicNotice, Recognition
from tests.admin_workflow.pages import DAY, application_at, recognise
from tests.builders import make_park
from tests.statements import counting

TODAY = DAY(2025, 10, 10)
ATOM = "{http://www.w3.org/2005/Atom}"
OBJECTION = "异议人张三反映该园区场地不实，电话13800000000"


@pytest.fixture
def public(app, town, monkeypatch):
    """Changzhi: a notice in progress (C园), one ended (town's park), one starting tomorrow (明日园);
    recognitions in force, under rectification and revoked; a confirmed excellent assessment and an
    unconfirmed one. Karamay: a notice of its own. The site's day is 10 October 2025."""
    monkeypatch.setattr("admin.public.listings.today", lambda: TODAY)
    uploads = Path(app.config["UPLOAD_DIR"])
    shangdang, dushanzi = town.j["shangdang"], town.j["dushanzi"]
    s = {}
    s["open"] = application_at(town, uploads, "cz", "public_notice", notice_day=DAY(2025, 10, 9),
                               park=make_park(shangdang, name="公示中园区"))
    s["ended"] = application_at(town, uploads, "cz", "public_notice", notice_day=DAY(2025, 9, 1))
    s["tomorrow"] = application_at(town, uploads, "cz", "public_notice", notice_day=DAY(2025, 10, 11),
                                   park=make_park(shangdang, name="明日公示园区"))
    s["kr"] = application_at(town, uploads, "kr", "public_notice", notice_day=DAY(2025, 10, 9))
    PublicNotice.update(objections=OBJECTION, objection_count=1).execute()
    s["active"] = recognise(make_park(shangdang, name="有效园区"))
    s["revoked"] = recognise(make_park(shangdang, name="撤销园区"))
    s["revoked"].status, s["revoked"].revoked_on, s["revoked"].revocation_article = "revoked", DAY(2025, 4, 2), "第二十条第（三）项"
    s["revoked"].revocation_reason = "连续两次考核不合格，秘密理由"
    s["revoked"].save()
    s["kr_recognised"] = recognise(make_park(dushanzi, name="克拉玛依园区", sites=((True, "2500"),)))
    s["excellent"] = Assessment.create(
        recognition=s["active"], year=2024, scores={}, total_score=Decimal("95"), grade="excellent", status="confirmed",
        assessed_on=DAY(2025, 2, 1), assessed_by="cz_panel",
        consequences=[{"kind": "commendation", "article": "第二十条第（一）项", "explanation": "2024年度考核优秀，予以全市通报表扬",
                       "explanation_en": "2024 graded excellent: city-wide commendation"}])
    s["draft"] = Assessment.create(recognition=s["revoked"], year=2024, scores={}, grade="excellent", status="draft",
                                   consequences=[{"kind": "commendation", "article": "第二十条第（一）项",
                                                  "explanation": "草稿园区2024年度考核优秀"}])
    return s


def text(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_notices_page_lists_the_notices_public_today_and_their_state(app, public):
    page = text(app.test_client(), "/public/changzhi/notices/")
    assert "公示中园区" in page and "上党人力资源服务产业园" in page
    assert "明日公示园区" not in page  # public from its first day, not before
    assert "独山子人力资源服务产业园" not in page  # Karamay's notice is on Karamay's page
    assert page.count('class="state open">公示中') == 1 and page.count('class="state over">已结束') == 1
    assert "2025年10月9日至2025年10月14日（5个工作日）" in page  # Saturday 11 October is a make-up working day
    assert "第七条" in page and 'id="object-' in page
    assert OBJECTION not in page and "13800000000" not in page and "cz_city" not in page
    karamay = text(app.test_client(), "/public/karamay/notices/")
    assert "独山子人力资源服务产业园" in karamay and "公示中园区" not in karamay


def test_a_notice_on_its_last_day_is_still_in_progress_and_the_day_after_is_over(app, public, monkeypatch):
    end = public["open"].notices[0].end
    for day, state in ((end, "公示中"), (end + datetime.timedelta(days=1), "已结束")):
        monkeypatch.setattr("admin.public.listings.today", lambda day=day: day)
        page = text(app.test_client(), "/public/changzhi/notices/")
        part = page.split("公示中园区")[1].split("</article>")[0]
        assert f'">{state}</span>' in part
        notice_id = public["open"].notices[0].id
        online = f'class="object-online" href="/public/objections/new/{notice_id}"'
        assert (online in part) == (state == "公示中")  # the objection form, while the notice runs


def test_the_recognised_list_shows_every_recognition_revoked_ones_with_date_and_article(app, public):
    page = text(app.test_client(), "/public/changzhi/recognised/")
    assert "有效园区" in page and "撤销园区" in page and "克拉玛依园区" not in page
    revoked = page.split("撤销园区")[1].split("</article>")[0]
    assert "已撤销" in revoked and "2025年4月2日" in revoked and "第二十条第（三）项" in revoked
    assert "秘密理由" not in page


def test_assessment_results_show_only_confirmed_announced_results(app, public):
    page = text(app.test_client(), "/public/changzhi/assessments/")
    assert "全市通报表扬" in page and "第二十条第（一）项" in page and "优秀" in page
    assert "草稿园区2024年度考核优秀" not in page
    assert "cz_panel" not in page
    assert "有效园区" not in text(app.test_client(), "/public/karamay/assessments/")


def test_the_measures_page_is_generated_from_the_parameters_that_judge_the_parks(app, public):
    page = text(app.test_client(), "/public/changzhi/measures/")
    assert "第六条" in page and "3,000" in page and "第七条" in page
    english = text(app.test_client(), "/public/changzhi/measures/?lang=en")
    assert "Conditions for recognition" in english


def test_a_repeated_request_is_answered_304_by_etag_or_by_date(app, public):
    client = app.test_client()
    for url in ("/public/", "/public/changzhi/notices/", "/public/changzhi/recognised/", "/public/changzhi/assessments/",
                "/public/changzhi/measures/", "/public/changzhi/notices.atom"):
        first = client.get(url)
        assert first.status_code == 200 and "public" in first.headers["Cache-Control"]
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    english = client.get("/public/changzhi/notices/?lang=en")
    assert english.headers["ETag"] != client.get("/public/changzhi/notices/").headers["ETag"]


def test_the_etag_changes_when_what_the_page_shows_changes(app, public):
    client = app.test_client()
    before = client.get("/public/changzhi/recognised/").headers["ETag"]
    Recognition.update(status="rectifying").where(Recognition.id == public["active"].id).execute()
    after = client.get("/public/changzhi/recognised/")
    assert after.headers["ETag"] != before and "限期整改中" in after.get_data(as_text=True)
    assert client.get("/public/changzhi/recognised/", headers={"If-None-Match": before}).status_code == 200


def test_the_feed_has_one_entry_per_public_notice(app, public):
    response = app.test_client().get("/public/changzhi/notices.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 2 and any("公示中园区" in t for t in titles) and not any("明日" in t for t in titles)
    assert OBJECTION.encode() not in response.data


def test_the_english_pages_have_no_chinese_words_but_names_and_titles(app, public, registry):
    import re

    info = registry.get("changzhi").info
    names = sorted([info.name, info.measures_title, info.bureaus["hrss"], info.name_prefix, "公示中园区", "上党人力资源服务产业园",
                    "有效园区", "撤销园区", "上党区", "2024年度考核优秀，予以全市通报表扬"], key=len, reverse=True)
    citation = re.compile(r"第[一二三四五六七八九十百]+条(第（[一二三四五六七八九十]+）项)?(、第（[一二三四五六七八九十]+）项)*")
    for url in ("/public/?lang=en", "/public/changzhi/notices/?lang=en", "/public/changzhi/recognised/?lang=en",
                "/public/changzhi/assessments/?lang=en", "/public/changzhi/measures/?lang=en"):
        page = text(app.test_client(), url)
        assert '<html lang="en">' in page
        body = page.split("<body>")[1].replace('lang="zh-CN" hreflang="zh-CN">中文', "")
        if url.endswith("measures/?lang=en"):  # the criteria and numbers are the plugin's, in its English where it has one
            body = body.split("<main")[0]
        for name in names:
            body = body.replace(name, "")
        body = re.sub(r"《[^》]*》", "", citation.sub("", body))
        assert re.findall(r"[^<>]*[\u4e00-\u9fff][^<>]*", body) == [], url


def test_the_login_page_links_to_the_public_site(app):
    page = text(app.test_client(), "/auth/login")
    assert 'id="public-site" href="/public/"' in page


def test_hostile_addresses_get_a_4xx_or_the_normal_page(app, public):
    client = app.test_client()
    for url, status in (("/public/changzhi/notices/?page=-1", 404), ("/public/changzhi/notices/?page=0", 404),
                        ("/public/changzhi/notices/?page=99999999999999999999", 404),
                        ("/public/changzhi/notices/?page=2", 404), ("/public/changzhi/notices/?page=²", 404),
                        ("/public/changzhi/recognised/?page=1.5", 404), ("/public/changzhi/recognised/?page=abc", 404),
                        ("/public/nowhere/notices/", 404), ("/public/nowhere/notices.atom", 404),
                        ("/public/changzhi/notices/?lang=xx", 200), ("/public/changzhi/measures/?lang=%00", 200)):
        assert client.get(url).status_code == status, url
    assert 'lang="zh-CN"' in text(client, "/public/changzhi/notices/?lang=xx")


def test_the_notices_page_reads_a_fixed_number_of_queries_as_the_parks_grow(app, db, public, town):
    client = app.test_client()

    def queries(url):
        with counting(db) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    urls = ("/public/changzhi/notices/", "/public/changzhi/recognised/", "/public/changzhi/assessments/")
    first = [queries(url) for url in urls]
    for i in range(20):
        park = make_park(town.j["shangdang"], name=f"增长园区{i}", agencies=0)
        application = public["open"].__class__.create(park=park, jurisdiction=park.jurisdiction, year=2025,
                                                      state="public_notice")
        PublicNotice.create(application=application, start=DAY(2025, 10, 1), end=DAY(2025, 10, 14), working_days=5)
        recognition = recognise(park)
        Assessment.create(recognition=recognition, year=2024, scores={}, grade="excellent", status="confirmed",
                          consequences=[{"kind": "commendation", "article": "第二十条", "explanation": "表扬"}])
    assert [queries(url) for url in urls] == first
    assert "增长园区19" in text(client, "/public/changzhi/notices/")


def test_every_programme_has_its_four_pages_and_feed_in_both_languages(app, public, registry):
    client = app.test_client()
    index = text(client, "/public/")
    for rules in registry:
        assert f'href="/public/{rules.code}/notices/"' in index
        if rules.info.parent:  # a county's measures listed after its city's
            assert index.index(f"/public/{rules.info.parent}/notices/") < index.index(f"/public/{rules.code}/notices/")
        for section in ("", "notices/", "recognised/", "assessments/", "measures/", "notices.atom"):
            for lang in ("", "?lang=en"):
                assert client.get(f"/public/{rules.code}/{section}{lang}").status_code == 200, (rules.code, section, lang)


def test_notices_are_paged_newest_first_and_a_page_past_the_last_is_not_found(app, public, monkeypatch):
    monkeypatch.setattr("admin.public.listings.NOTICES_PAGE_SIZE", 1)
    client = app.test_client()
    first, second = text(client, "/public/changzhi/notices/"), text(client, "/public/changzhi/notices/?page=2")
    assert "公示中园区" in first and "上党人力资源服务产业园" not in first  # the newest notice first
    assert "上党人力资源服务产业园" in second and "公示中园区" not in second
    pager = first.split('<nav class="pages"')[1].split("</nav>")[0]
    assert "page=2" in pager and "page=1" not in pager  # a next page, no previous one
    assert client.get("/public/changzhi/notices/?page=3").status_code == 404
