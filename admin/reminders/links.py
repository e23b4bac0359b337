"""Where in the back office a notification's record is seen: its page's path, the same in the inbox
and in a mail (which prefixes the deployment's address, HRPARK_BASE_URL)."""
import os

#: The table a notification names -> the path of its record's page (Flask-Admin's details views).
RECORD_PATHS = {
    "application": "/admin/application/details/?id={id}",
    "assessment": "/admin/assessment/details/?id={id}",
    "recognition": "/admin/recognition/details/?id={id}",
    "subsidy": "/admin/subsidy/details/?id={id}",
}


def record_path(notification):
    """The path of the page of the record `notification` is about, or None."""
    pattern = RECORD_PATHS.get(notification.record_table)
    if pattern is None or notification.record_id is None:
        return None
    return pattern.format(id=notification.record_id)


def base_url():
    """The back office's address as people reach it (HRPARK_BASE_URL), without a trailing slash."""
    return os.environ.get("HRPARK_BASE_URL", "").strip().rstrip("/")


def absolute_url(path, base=None):
    """`path` under the back office's address (`base`, else HRPARK_BASE_URL); "" when either is
    unknown: a bare path in a mail or a calendar leads nowhere."""
    base = (base or base_url()).rstrip("/")
    return f"{base}{path}" if path and base else ""
