"""Builders of spreadsheet files for the import tests (loaded as `import_test_sheets`)."""
import csv
import io

from openpyxl import Workbook

ROSTER_HEADERS = ["机构名称", "许可证/备案编号", "机构性质", "许可类型", "服务业态", "入驻日期", "退出日期", "退出原因", "园区编号"]
AGENCY_YEAR_HEADERS = ["许可证/备案编号", "机构名称", "年度", "营业收入（元）", "代收代付（元）", "纳税额（元）", "帮助就业人数"]
PARK_YEAR_HEADERS = ["年度", "举办活动次数", "服务产品数", "处理投诉数", "促进就业人数", "服务人次", "已享受孵化基地补贴"]


def xlsx(headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def roster_rows(count, start=1):
    return [[f"人力资源公司{i}", f"LIC-{i:05d}", "经营性", "人力资源服务许可证", "招聘服务、劳务派遣", "2024-01-15", None, None, None]
            for i in range(start, start + count)]
