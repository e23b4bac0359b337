"""Every state change of a park's life, each in one transaction with its audit rows.

The back office, the API and the command line call these; none of them changes records directly.
Each function takes the acting `core.records.audit.Actor`, checks the role and the actor's reach
(jurisdiction or park), and raises a `ServiceError` with a bilingual message naming what is wrong.
"""
