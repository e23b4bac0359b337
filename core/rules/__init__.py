"""The rules kernel: what a programme's measures say and how they judge a park — parameters,
criteria, procedure, assessment, subsidies, the ledger's uses, working days, facts."""
