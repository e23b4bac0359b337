"""The back office's own static files (admin/static): the vendored ECharts build the charts draw
with. Served by the app itself under /static/hrpark/ — the machines that run it may have no
internet, and the Content-Security-Policy allows scripts from the app's own origin only."""
from flask import Blueprint

#: url_for("hrpark_assets.static", filename="vendor/echarts/echarts.min.js")
bp = Blueprint("hrpark_assets", __name__, static_folder="static", static_url_path="/static/hrpark")
