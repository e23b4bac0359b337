"""Templates of the files `hrpark plugin new` writes (core/scaffold.py); a package so that they install as package data."""
