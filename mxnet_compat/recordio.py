"""``mx.recordio``: MXNet RecordIO files (being filled in)."""
