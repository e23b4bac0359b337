"""The words a programme's texts name its own level with — 市级, 全市, 本市; city-level, city-wide — and
how a programme modelled on another reads the other's texts in its own level.

A county's measures copy its city's (a city's measures: 参照本办法…制定). A text the county inherits says
市级 where the county's says 区级 (县级), 全市 where it says 全区 (全县), 市级人力资源服务产业园 where it says
X区级人力资源服务产业园. `reword(text, parent, own)` rewrites the parent's level words into the
inheriting programme's, in one pass, and nothing else:

- only the parent's own words: a text naming another level (推荐申报省级, 县级初审) keeps it;
- never a phrase naming a place itself: Y市级人力资源服务产业园管理办法 is the city's measures'
  title, whoever cites it;
- 市场 is not a 市: 全市场化 stays;
- article references (第二十条) and the bodies that act (市人力资源和社会保障局 reviews a county's
  applications too, in a city's procedure) carry no level word and pass unchanged.
"""
import dataclasses
import functools
import re
from dataclasses import dataclass

#: The unit a place's name ends with, and how English says its level words.
UNITS_EN = {
    "市": ("city-level", "city-wide", "the city's"),
    "区": ("district-level", "district-wide", "the district's"),
    "县": ("county-level", "county-wide", "the county's"),
    "旗": ("banner-level", "banner-wide", "the banner's"),
    "省": ("provincial", "province-wide", "the province's"),
    "国家": ("national", "nationwide", "the nation's"),
}
#: The unit of a place whose name ends with none of UNITS_EN, by its programme's level.
LEVEL_UNITS = {"city": "市", "county": "县", "province": "省", "national": "国家"}
#: 全国, not 全国家.
AREAS = {"国家": "全国"}
#: The fields of an item that people read (criteria, materials, consequences, subsidy proposals,
#: ledger categories, document templates, criterion results): the ones `reworded` rewrites.
TEXT_FIELDS = ("title", "title_en", "label", "label_en", "explanation", "explanation_en", "description", "description_en")
#: The park a 市级 … names: 人力资源服务产业园 after the level.
PARK = "人力资源服务产业园"


@dataclass(frozen=True)
class LevelWords:
    """How one programme's texts name its level."""

    unit: str  # 市 / 区 / 县: its place as its texts say 全市, 本市, 市级
    park_level: str  # the level of a park it recognises, as its texts write it: 市级, X区级
    keep: tuple = ()  # phrases naming its place itself, never rewritten: Y市级 (its measures' title)

    @classmethod
    def of(cls, name, level="city", **changes):
        """The words of a place called `name` (X区 → 区级, 全区, X区级人力资源服务产业园; Z县 →
        县级, 全县) issuing measures at `level`; `changes` overrides any of them.

        A city's texts say 市级人力资源服务产业园 (both cities' measures do); a county's name
        the county (X区级: several counties' parks stand beside the city's in one register)."""
        unit = next((u for u in sorted(UNITS_EN, key=len, reverse=True) if name.endswith(u)), None)
        unit = unit or LEVEL_UNITS.get(level, "市")
        park_level = f"{unit}级" if level == "city" or not name else f"{name}级"
        words = cls(unit=unit, park_level=park_level, keep=(f"{name}级",) if name else ())
        return dataclasses.replace(words, **changes)

    @property
    def level(self):
        return f"{self.unit}级"

    @property
    def area(self):
        return AREAS.get(self.unit, f"全{self.unit}")

    def words(self):
        """{kind: word} of every level word, Chinese then English."""
        level_en, area_en, of_en = UNITS_EN.get(self.unit, UNITS_EN["市"])
        return {
            "park": f"{self.park_level}{PARK}", "level": self.level, "area": self.area,
            "here": f"本{self.unit}", "ours": f"我{self.unit}",
            "level_en": level_en, "area_en": area_en, "of_en": of_en,
        }


def _pattern(word):
    """`word` as a regex: an English word stands alone; 全市/本市/我市 are not 全市场 …"""
    if word.isascii():
        return rf"(?<![A-Za-z-]){re.escape(word)}(?![A-Za-z-])"
    return re.escape(word) + ("(?!场)" if word.endswith("市") else "")


@functools.lru_cache(maxsize=64)
def _rewriter(parent, own):
    """(regex, {found: replacement}) turning `parent`'s level words into `own`'s."""
    table = {phrase: phrase for phrase in (*parent.keep, *own.keep)}
    mine = own.words()
    for kind, word in parent.words().items():
        if word != mine[kind]:
            table.setdefault(word, mine[kind])
            if word.isascii():  # at the start of a sentence
                table.setdefault(word[:1].upper() + word[1:], mine[kind][:1].upper() + mine[kind][1:])
    if all(found == replacement for found, replacement in table.items()):
        return None, table
    # Longest first: 市级人力资源服务产业园 before 市级, Y市级 (kept) before both.
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("|".join(_pattern(w) for w in alternatives)), table


def reword(text, parent, own):
    """`text` of the programme whose words are `parent`, in `own`'s words (see the module's note)."""
    if not text or parent is None or own is None or parent == own:
        return text
    return _reworded_text(text, parent, own)


@functools.lru_cache(maxsize=4096)  # a county's results repeat their titles and articles park after park
def _reworded_text(text, parent, own):
    regex, table = _rewriter(parent, own)
    return regex.sub(lambda found: table[found.group(0)], text) if regex is not None else text


def reworded(item, parent, own, fields=TEXT_FIELDS):
    """`item` — a text, a dataclass (its `fields` that are texts), or a list or tuple of them — in
    `own`'s words; the same object where nothing changes."""
    if isinstance(item, str):
        return reword(item, parent, own)
    if isinstance(item, (list, tuple)):
        return type(item)(reworded(i, parent, own, fields) for i in item)
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        changes = {}
        for name in fields:
            value = getattr(item, name, None)
            if isinstance(value, str) and reword(value, parent, own) != value:
                changes[name] = reword(value, parent, own)
        return dataclasses.replace(item, **changes) if changes else item
    return item
