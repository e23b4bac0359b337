"""Official documents: templates of each programme, what they say, Word and print view."""
