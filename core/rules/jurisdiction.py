"""A programme's identity, as its plugin declares it: the jurisdiction that issues the measures (a
place), their level, title, version and dates, and the bodies that issue its documents and sign
their boxes."""
import datetime
import re
from dataclasses import dataclass

from core.rules.level_words import LevelWords

BUREAU_SUFFIX = "人力资源和社会保障局"
FINANCE_SUFFIX = "财政局"
#: An article citation: 第六条, 第二十二条, 第6条.
ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇两\d]+条")


def bureau_of(place_name: str) -> str:
    """X区 -> X区人力资源和社会保障局 (the HRSS department of a city or county)."""
    return f"{place_name}{BUREAU_SUFFIX}" if place_name else ""


@dataclass(frozen=True)
class Revision:
    """A new version of a programme's measures (修订): its label, the day it takes effect, and the
    numbers it changes (a parameter file of `overrides:` dated from that day). Records made before
    it keep the version that judged them; earlier versions stay readable by date."""

    label: str  # 正式, 2027年修订 …
    effective_from: datetime.date
    parameters_file: object  # a Path
    document_number: str = ""
    title: str = ""


@dataclass(frozen=True)
class JurisdictionInfo:
    code: str  # the entry point's name: a city's code, a county's own code
    name: str  # Y市
    name_en: str  # Y City
    measures_title: str  # Y市级人力资源服务产业园建设管理办法
    name_prefix: str  # Y — prefixed to a recognised park's name
    parent: str | None = None  # the city a county's measures extend
    level: str = "city"  # vocab.JURISDICTION_LEVELS
    effective_from: datetime.date | None = None  # None: a deployment setting not yet entered
    effective_until: datetime.date | None = None
    effective_note: str = ""  # where the dates come from, with the article
    version: str = ""  # the plugin package's version
    document_number: str = ""  # 文号 of the measures, where the text gives one
    measures_version: str = ""  # the version of the measures (试行, 正式 …), as the text names it
    #: The bodies that issue the jurisdiction's documents and sign their boxes (拨付表: 人社局 and
    #: 财政局 of that place); "" = the place's name with 人力资源和社会保障局 / 财政局. A county whose
    #: departments are named otherwise (a development zone's 财政金融局) sets them.
    hrss_bureau: str = ""
    finance_bureau: str = ""
    #: How its texts name its level (市级 / 全市 …); None = derived from `name` and `level`
    #: (core.rules.level_words.LevelWords.of): X区 → 区级, 全区; Z县 → 县级, 全县.
    level_words: LevelWords | None = None
    #: The articles core cites for what it does for every programme, "" where the measures say nothing:
    #: the information-sharing platform the API serves, and the one letting counties make measures of
    #: their own (a county park then applies under either). Each must name an article (第N条).
    platform_article: str = ""
    county_measures_article: str = ""

    def __post_init__(self):
        for name in ("platform_article", "county_measures_article"):
            if getattr(self, name) and not ARTICLE.search(getattr(self, name)):
                raise ValueError(f"{self.code}: {name}“{getattr(self, name)}”没有写明第几条 ({name} names no article)")

    @property
    def words(self) -> LevelWords:
        return self.level_words or LevelWords.of(self.name, self.level)

    @property
    def bureaus(self) -> dict:
        """{'hrss': X区人力资源和社会保障局, 'finance': X区财政局} of this jurisdiction."""
        finance = self.finance_bureau or (f"{self.name}{FINANCE_SUFFIX}" if self.name else "")
        return {"hrss": self.hrss_bureau or bureau_of(self.name), "finance": finance}

    def in_force_on(self, day: datetime.date) -> bool | None:
        """True / False, or None when the start date is a setting not yet entered."""
        if self.effective_from is None:
            return None
        if day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until
