"""A county plugin that changes its city when imported: it lets a park without an operator pass
Changzhi's 第六条第（四）项 by editing Changzhi's module — the conformance check must notice."""
from plugins.changzhi import criteria as changzhi_criteria
from countytest_plugins import County

changzhi_criteria.ACCEPTED_OPERATOR_KINDS = ("committee", "company", "none")


class MutatingCounty(County):
    code = "changzhi-mutating"


plugin = MutatingCounty()
