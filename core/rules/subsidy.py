"""Subsidies: what a formula needs (`SubsidyContext`) and what it proposes (`SubsidyProposal`)."""
import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass
class SubsidyContext:
    park: object  # core.rules.facts.ParkFacts
    year: int  # the subsidy year (for operating subsidies: the year of operation assessed)
    recognised_on: datetime.date | None = None
    recognition_status: str | None = None  # active / rectifying / revoked, None if not recognised
    grades: dict = field(default_factory=dict)  # year -> grade of the annual assessment
    parameters: object = None  # set by the jurisdiction facade
    as_of: datetime.date | None = None
    revoked_on: datetime.date | None = None  # Recognition.revoked_on, when recognition_status is revoked
    #: year -> outcome of the rectification a 不合格 of that year ordered: pending / passed / failed
    rectifications: dict = field(default_factory=dict)

    def param(self, pid, on=None):
        """Parameter `pid` as it stood on `on` (a formula's own day, e.g. the day of recognition),
        else on `as_of`, else at the end of the subsidy year: the year's numbers, whenever it is computed."""
        on = on or self.as_of or datetime.date(self.year, 12, 31)
        return self.parameters.value(pid, on)


@dataclass
class SubsidyProposal:
    rule_id: str
    kind: str
    year: int
    amount: Decimal  # what is due (0 when withheld or not due; when held, what a passed rectification releases)
    article: str
    explanation: str
    explanation_en: str
    due: bool = True  # False: the rule applies but nothing is due (reason in the explanation)
    withheld: bool = False  # True: due in principle but withheld by a grade or an exclusion
    held: bool = False  # True: held (暂缓) until a rectification closes: released if it passes, cancelled if not
    source: str = ""
    #: What a withheld proposal would have paid (its `amount` is 0): the money the withholding concerns.
    withheld_amount: Decimal | None = None

    def as_dict(self):
        return {**asdict(self), "amount": str(self.amount)}
