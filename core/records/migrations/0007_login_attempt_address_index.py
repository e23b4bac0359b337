"""Login throttling counts the failed sign-ins of an address across every username (issue 11
item 12): an index on (ip, at) reads one address's last half hour of attempts without a scan of
the whole day the table keeps. (username, ip, at) already serves one username's attempts."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("login_attempt", ("ip", "at"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("login_attempt", "login_attempt_ip_at"))
