"""The records: the data model, migrations, the database, accounts, the audit log, and the
services that change a park's life (each change one transaction)."""
