"""Qingchuan's one-time award (第七条): paid in the year of recognition, at the amount in force that day."""
from decimal import Decimal

from core.rules.criteria import fmt_yuan, fmt_yuan_en
from core.rules.subsidy import SubsidyProposal

RULE_ID = "qingchuan.recognition_award"
KIND = "qingchuan_award"  # subsidies.yaml


def build_subsidies(ctx, source):
    def proposal(amount, zh, en, due):
        return SubsidyProposal(RULE_ID, KIND, ctx.year, amount, "第七条", zh, en, due=due, source=source)

    if ctx.recognised_on is None or ctx.recognition_status is None:
        return [proposal(Decimal("0"), f"未认定为青川市级产业园，{ctx.year}年度无认定奖励",
                         f"Not recognised: no award for {ctx.year}", due=False)]
    if ctx.year != ctx.recognised_on.year:
        return [proposal(Decimal("0"), f"认定奖励属于认定当年（{ctx.recognised_on.year}年），{ctx.year}年度无",
                         f"The award belongs to {ctx.recognised_on.year}, the year of recognition", due=False)]
    award = Decimal(str(ctx.param("recognition_award", on=ctx.recognised_on)))
    return [proposal(award, f"{ctx.recognised_on.isoformat()}认定为青川市级产业园，一次性奖励{fmt_yuan(award)}",
                     f"Recognised on {ctx.recognised_on.isoformat()}: one-time award {fmt_yuan_en(award)}", due=True)]
