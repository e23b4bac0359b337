"""Subsidies: what a formula needs (`SubsidyContext`) and what it proposes (`SubsidyProposal`)."""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class SubsidyContext:
    park: object  # core.facts.ParkFacts
    year: int  # the subsidy year (for operating subsidies: the year of operation assessed)
    recognised_on: datetime.date | None = None
    recognition_status: str | None = None  # active / rectifying / revoked, None if not recognised
    grades: dict = field(default_factory=dict)  # year -> grade of the annual assessment
    parameters: object = None  # set by the jurisdiction facade
    as_of: datetime.date | None = None
    revoked_on: datetime.date | None = None  # Recognition.revoked_on, when recognition_status is revoked

    def param(self, pid):
        on = self.as_of or datetime.date(self.year, 12, 31)
        return self.parameters.value(pid, on)


@dataclass
class SubsidyProposal:
    rule_id: str
    kind: str
    year: int
    amount: Decimal  # what is due (0 when withheld or not due)
    article: str
    explanation: str
    explanation_en: str
    due: bool = True  # False: the rule applies but nothing is due (reason in the explanation)
    withheld: bool = False  # True: due in principle but withheld by a grade or an exclusion
    source: str = ""

    def as_dict(self):
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "year": self.year,
            "amount": str(self.amount),
            "article": self.article,
            "explanation": self.explanation,
            "explanation_en": self.explanation_en,
            "due": self.due,
            "withheld": self.withheld,
            "source": self.source,
        }
