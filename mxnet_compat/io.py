"""``mx.io``: data iterators (being filled in)."""
