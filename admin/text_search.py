"""Flask-Admin's list search, answered through the tables' text indexes (core.records.text_search).

Flask-Admin's peewee list builds, for each word of the search box, `field ** pattern` for every
searchable field and ORs them. `IndexedSearch` stands in for the view's searchable fields as one:
given the pattern, it answers with the condition of core.records.text_search, which reads the
index and finds the same rows, the word's %, _ and quotes taken as plain characters.
"""
from core.records import text_search


class IndexedSearch:
    """The searchable fields of one view, searched together as one field of the view's model."""

    def __init__(self, model, fields):
        self.model = model  # no join: Flask-Admin joins a field's model only when it is another
        self.fields = list(fields)

    def __pow__(self, pattern):
        """Flask-Admin's pattern for a word: "%w%" (contains), "w%" (^w: starts with), "w" (=w)."""
        if len(pattern) >= 2 and pattern.startswith("%") and pattern.endswith("%"):
            return text_search.word_condition(self.model, self.fields, pattern[1:-1])
        if pattern.endswith("%"):
            return text_search.word_condition(self.model, self.fields, pattern[:-1], anchored_start=True)
        return text_search.word_condition(self.model, self.fields, pattern, anchored_start=True, anchored_end=True)
