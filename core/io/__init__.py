"""The ways in and out: the dossier, spreadsheets, official documents and the command line."""
