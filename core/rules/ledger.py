"""The fund ledger's categories: what the subsidy may and may not be spent on; and the words in a
line that point to a forbidden use whatever category it was filed under."""
import datetime
import re
from dataclasses import dataclass

from core.rules.parameters import ParameterError


@dataclass(frozen=True)
class LedgerCategory:
    id: str
    label: str
    label_en: str
    article: str
    allowed: bool = True
    #: On a forbidden use: the parameter (unit text, words separated by 、) whose words in a line's
    #: project or description flag the line for the finance officer's review, whatever its category.
    words_parameter: str = ""


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


def words_of(parameters, parameter_id, on: datetime.date) -> list:
    """The words of a text parameter on `on` (a day before its first value reads the first value;
    an ended parameter has none)."""
    parameter = parameters.get(parameter_id)
    first = parameter.effective_from
    try:
        text = parameter.at(max(on, first) if first else on)
    except ParameterError:
        return []
    return [w for w in re.split(r"[、,，;；\s]+", str(text or "")) if w]


def forbidden_use_flags(categories, parameters, on: datetime.date, *texts) -> list:
    """[{word, category, label, label_en, article}] for each word of a forbidden use found in `texts`
    (a line's project and description), read with the parameters in force on the line's date."""
    text = "\n".join(t for t in texts if t)
    flags = []
    for category in categories:
        if category.allowed or not category.words_parameter:
            continue
        for word in words_of(parameters, category.words_parameter, on):
            if word in text:
                flags.append({"word": word, "category": category.id, "label": category.label,
                              "label_en": category.label_en, "article": category.article})
    return flags


def flags_text(flags, language="zh") -> str:
    """“直播带岗”“招聘活动”：超出就业补助资金支出范围的支出（第十一条） — one clause per forbidden use."""
    by_use = {}
    for flag in flags:
        by_use.setdefault((flag["label"], flag["label_en"], flag["article"]), []).append(flag["word"])
    if language == "zh":
        return "；".join(f"{''.join(f'“{w}”' for w in words)}：{label}（{article}）"
                        for (label, _en, article), words in by_use.items())
    return "; ".join(f"{', '.join(f'“{w}”' for w in words)}: {label_en} ({article})"
                     for (_label, label_en, article), words in by_use.items())
