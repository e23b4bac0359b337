"""The fund ledger's categories: what the subsidy may and may not be spent on."""
from dataclasses import dataclass


@dataclass(frozen=True)
class LedgerCategory:
    id: str
    label: str
    label_en: str
    article: str
    allowed: bool = True


class ForbiddenCategory(ValueError):
    """A ledger line in a category the measures forbid (or do not allow); the message cites why."""


def check_category(categories, category_id):
    """Return the category if spending on it is allowed; raise ForbiddenCategory citing the article."""
    for c in categories:
        if c.id == category_id:
            if not c.allowed:
                raise ForbiddenCategory(
                    f"“{c.label}”不得列支（{c.article}） — {c.label_en} is a forbidden use ({c.article})"
                )
            return c
    allowed = [c for c in categories if c.allowed]
    labels = "、".join(c.label for c in allowed)
    articles = "、".join(dict.fromkeys(c.article for c in allowed))  # where the allowed uses are listed
    raise ForbiddenCategory(
        f"类别 {category_id} 不在允许的资金使用范围内（{articles}），允许的范围：{labels}"
        f" — category {category_id} is not an allowed use ({articles})"
    )
