"""``mx.metric``: evaluation metrics (being filled in)."""
