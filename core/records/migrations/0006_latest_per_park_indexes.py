"""The dashboard counts parks by the state of each park's latest application and recognition:
indexes on (park_id, id, state) and (park_id, id, status) answer "the latest of each park" from
the index alone. ANALYZE afterwards, because SQLite only prefers an index it has statistics for."""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("application", ("park_id", "id", "state"), False),
        migrator.add_index("recognition", ("park_id", "id", "status"), False),
    )
    db.execute_sql("ANALYZE application")
    db.execute_sql("ANALYZE recognition")


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("application", "application_park_id_id_state"),
        migrator.drop_index("recognition", "recognition_park_id_id_status"),
    )
