"""第二十条: what the operating subsidy may and may not be spent on."""
import pytest

from core.rules.ledger import ForbiddenCategory, check_category


def test_art20_allowed_uses(karamay):
    categories = karamay.ledger_categories()
    allowed = [(c.id, c.article) for c in categories if c.allowed]
    assert allowed == [
        ("rent_utilities", "第二十条第（一）项"),
        ("standardisation_it_team", "第二十条第（二）项"),
        ("promotion_events", "第二十条第（三）项"),
    ]
    for cid, _ in allowed:
        assert check_category(categories, cid).id == cid


@pytest.mark.parametrize("cid, label", [("staff_wages", "工作人员工资、津补贴"), ("integrity_violation", "廉洁自律")])
def test_art20_forbidden_uses_are_refused_citing_the_article(karamay, cid, label):
    with pytest.raises(ForbiddenCategory, match=f"{label}.*不得列支（第二十条）"):
        check_category(karamay.ledger_categories(), cid)


def test_art20_unknown_use_is_refused(karamay):
    with pytest.raises(ForbiddenCategory, match="不在允许的资金使用范围内"):
        check_category(karamay.ledger_categories(), "renovation")
