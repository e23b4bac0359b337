"""Luzhou's document templates (.docx, .html) and the script that writes them; a package so that they install as package data."""
