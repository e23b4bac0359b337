"""The `hrpark` command line."""
