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
        """The rows matching Flask-Admin's pattern, as a condition (the index read as a subquery)."""
        word, start, end = self.word(pattern)
        return text_search.word_condition(self.model, self.fields, word, start, end)

    def narrow(self, query, patterns):
        """`query` narrowed to the rows matching every pattern, the index joined where it can be:
        (query, core.records.text_search.IndexOrder or None)."""
        return text_search.narrow(query, self.model, self.fields, [self.word(p) for p in patterns])

    @staticmethod
    def word(pattern):
        """(word, anchored at the start, anchored at the end) of Flask-Admin's pattern: "%w%"
        (contains), "w%" (^w: starts with), "w" (=w)."""
        if len(pattern) >= 2 and pattern.startswith("%") and pattern.endswith("%"):
            return pattern[1:-1], False, False
        if pattern.endswith("%"):
            return pattern[:-1], True, False
        return pattern, True, True
