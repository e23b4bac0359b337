"""Templates of the files `hrpark plugin new` writes (core/plugin/scaffold.py); a package so that they install as package data."""
