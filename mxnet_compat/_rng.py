"""The global random state: one base key and a counter.

Each random operator call takes ``(base_key, counter)`` as inputs and folds the
counter into the key *inside* its jitted primitive, so drawing needs no eager key
split on the host.  The pair is captured by a recorded node, so a replay under
autograd draws the same numbers.  ``mx.random.seed(s)`` resets both.
"""
import threading

import jax
import numpy as np

_lock = threading.Lock()
_state = {'key': None, 'counter': 0}
_DEFAULT_SEED = 0  # MXNet starts from a fixed seed too: a fresh process draws the same numbers


def seed(seed_state):
    """Reset the global generator (MXNet's ``mx.random.seed``)."""
    key = jax.random.key_data(jax.random.key(int(seed_state) & 0xFFFFFFFF))
    with _lock:
        _state['key'] = key
        _state['counter'] = 0


_local = threading.local()


class drawing_from:
    """Scope in which this thread's random draws come from ``draw()`` instead of the global
    counter (a hybridized block's trace passes traced keys, so each compiled call draws
    fresh numbers)."""

    def __init__(self, draw):
        self.draw = draw

    def __enter__(self):
        self.prev = getattr(_local, 'draw', None)
        _local.draw = self.draw
        return self

    def __exit__(self, *exc):
        _local.draw = self.prev


def next_key():
    """(base key data, counter) for the next random draw; the counter is a numpy uint32."""
    draw = getattr(_local, 'draw', None)
    if draw is not None:
        return draw()
    if _state['key'] is None:
        seed(_DEFAULT_SEED)
    with _lock:
        _state['counter'] += 1
        return _state['key'], np.uint32(_state['counter'] & 0xFFFFFFFF)


def make_key(key_data, counter):
    """Inside a jitted primitive: the per-draw key."""
    return jax.random.fold_in(jax.random.wrap_key_data(key_data), counter)
