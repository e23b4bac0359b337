"""The public site (/public/): what the measures say is announced to society, readable without
signing in — the notices (公示公告), the recognised parks (认定名单), the published assessment
results (考核结果通报) and each programme's measures (政策文件), per programme, Chinese first."""
from admin.public.views import bp

__all__ = ["bp"]
