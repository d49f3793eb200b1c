"""``gluon.rnn``: recurrent layers and cells (being filled in)."""
