"""What Karamay's operating subsidy may and may not be spent on (第二十条). A line whose words point to
a forbidden use (the parameters `ledger_staff_wage_words`, `ledger_integrity_words`) waits for the
finance officer, whatever category it was filed under."""
from core.ledger import LedgerCategory


def build_ledger_categories():
    return [
        LedgerCategory("rent_utilities", "入驻机构场地租金、水、电、暖减免及补贴",
                       "rent, water, electricity and heating relief for resident agencies", "第二十条第（一）项"),
        LedgerCategory("standardisation_it_team", "园区标准化建设、信息化建设、人才队伍建设",
                       "standardisation, IT and staff-team building of the park", "第二十条第（二）项"),
        LedgerCategory("promotion_events", "园区招商、宣传、品牌建设与推介，招聘会、人才推介、直播带岗、博览会等活动",
                       "investment promotion, publicity, branding, job fairs, talent events, live-stream recruitment, expos",
                       "第二十条第（三）项"),
        LedgerCategory("staff_wages", "工作人员工资、津补贴", "staff wages and allowances", "第二十条", allowed=False,
                       words_parameter="ledger_staff_wage_words"),
        LedgerCategory("integrity_violation", "违反中央、自治区廉洁自律规定的支出",
                       "spending against the central and regional integrity rules", "第二十条", allowed=False,
                       words_parameter="ledger_integrity_words"),
    ]
