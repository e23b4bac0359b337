"""What Changzhi's award and grant may be spent on (第十一条): the listed uses, within the scope of
the employment-subsidy fund they come from. A line whose words point outside them (the parameter
`ledger_outside_scope_words`: a recruitment event, wages, hospitality …) waits for the finance
officer, whatever category it was filed under."""
from core.ledger import LedgerCategory

ARTICLE = "第十一条"


def build_ledger_categories():
    return [
        LedgerCategory("agency_rent", "入驻企业房屋租金", "rent of resident agencies", ARTICLE),
        LedgerCategory("renovation", "装修", "renovation", ARTICLE),
        LedgerCategory("property_management", "物业管理", "property management", ARTICLE),
        LedgerCategory("public_venue", "租用公共场地或设施", "rented public venues or facilities", ARTICLE),
        LedgerCategory("park_operation", "园区运行管理", "park operation and management", ARTICLE),
        LedgerCategory(
            "outside_fund_scope", "超出就业补助资金支出范围的支出", "spending outside the employment-subsidy fund's scope",
            ARTICLE, allowed=False, words_parameter="ledger_outside_scope_words",
        ),
    ]
