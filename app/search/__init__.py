"""Search: the full-text index of documents, its Vietnamese analysis and its queries."""
