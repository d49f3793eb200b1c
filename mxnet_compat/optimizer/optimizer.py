"""Optimizers: MXNet 1.9.1's update rules as small jitted jax functions.

Every rule is one ``jax.jit`` function of (weight, grad, states..., hyper-parameters); the
hyper-parameters (learning rate, weight decay, ``rescale_grad``...) are traced scalars, so a
changing learning rate never recompiles.  The new values are written into the weight and
state NDArrays in place (``_set_value``), as MXNet's ``out=weight`` does.  The arithmetic
follows MXNet's kernels (``src/operator/optimizer_op-inl.h``) in the weight's dtype:

    sgd:      weight += -lr*wd*weight - lr*clip(rescale_grad * grad)
    sgd+mom:  mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad * grad); weight += mom
    adam:     g = clip(rescale_grad*grad + wd*weight); m, v = moments(g);
              weight -= lr * m / (sqrt(v) + epsilon)      (lr already bias-corrected)

``clip`` is a no-op when ``clip_gradient`` is None or 0 (MXNet passes it only when truthy).
"""
import math
import pickle
import warnings

import jax
import jax.numpy as jnp
import numpy

from ..ndarray import NDArray, zeros

__all__ = ['Optimizer', 'Updater', 'SGD', 'NAG', 'Adam', 'AdaGrad', 'RMSProp', 'register',
           'create', 'get_updater']


# ----------------------------------------------------------------------------- update rules
# Hyper-parameters arrive as weakly typed scalars; ``_s`` casts them to the weight's dtype so
# the arithmetic runs in float32 for float32 weights, as MXNet's kernels do.

def _s(x, like):
    return jnp.asarray(x, dtype=like.dtype)


def _clip(g, clip):
    """MXNet's convention: a negative bound means no clipping."""
    return jnp.where(clip >= 0, jnp.clip(g, -jnp.abs(clip), jnp.abs(clip)), g)


@jax.jit
def _sgd(weight, grad, lr, wd, rescale, clip):
    lr, wd, rescale, clip = (_s(v, weight) for v in (lr, wd, rescale, clip))
    return weight + (-lr * wd * weight - lr * _clip(rescale * grad, clip))


@jax.jit
def _sgd_mom(weight, grad, mom, lr, wd, rescale, clip, momentum):
    lr, wd, rescale, clip, momentum = (_s(v, weight) for v in (lr, wd, rescale, clip, momentum))
    mom = momentum * mom - lr * wd * weight - lr * _clip(rescale * grad, clip)
    return weight + mom, mom


@jax.jit
def _nag_mom(weight, grad, mom, lr, wd, rescale, clip, momentum):
    lr, wd, rescale, clip, momentum = (_s(v, weight) for v in (lr, wd, rescale, clip, momentum))
    g = _clip(rescale * grad, clip)
    step = lr * (g + wd * weight)
    new_weight = weight + momentum * (momentum * mom - step) - step
    # MXNet's optimizer passes out=weight, and its kernel then reads the *updated* weight
    # for the momentum's weight-decay term; reproduced here.
    return new_weight, momentum * mom - lr * (g + wd * new_weight)


@jax.jit
def _adam(weight, grad, mean, var, lr, wd, rescale, clip, beta1, beta2, eps):
    lr, wd, rescale, clip, beta1, beta2, eps = (
        _s(v, weight) for v in (lr, wd, rescale, clip, beta1, beta2, eps))
    g = _clip(rescale * grad + wd * weight, clip)
    mean = beta1 * mean + (1 - beta1) * g
    var = beta2 * var + (1 - beta2) * g * g
    return weight - lr * mean / (jnp.sqrt(var) + eps), mean, var


@jax.jit
def _adagrad(weight, grad, history, lr, wd, rescale, clip, eps):
    lr, wd, rescale, clip, eps = (_s(v, weight) for v in (lr, wd, rescale, clip, eps))
    g = _clip(rescale * grad, clip)
    history = history + g * g
    return weight + (g / jnp.sqrt(history + eps) + weight * wd) * -lr, history


@jax.jit
def _rmsprop(weight, grad, n, lr, wd, rescale, clip, gamma1, eps, clip_weights):
    lr, wd, rescale, clip, gamma1, eps, cw = (
        _s(v, weight) for v in (lr, wd, rescale, clip, gamma1, eps, clip_weights))
    g = _clip(rescale * grad + wd * weight, clip)
    n = (1 - gamma1) * g * g + gamma1 * n
    return _clip(weight - lr * g / jnp.sqrt(n + eps), cw), n


@jax.jit
def _rmsprop_centered(weight, grad, n, gbar, delta, lr, wd, rescale, clip, gamma1, gamma2, eps,
                      clip_weights):
    lr, wd, rescale, clip, gamma1, gamma2, eps, cw = (
        _s(v, weight) for v in (lr, wd, rescale, clip, gamma1, gamma2, eps, clip_weights))
    g = _clip(rescale * grad + wd * weight, clip)
    n = (1 - gamma1) * g * g + gamma1 * n
    gbar = (1 - gamma1) * g + gamma1 * gbar
    delta = gamma2 * delta - lr * g / jnp.sqrt(n - gbar * gbar + eps)
    return _clip(weight + delta, cw), n, gbar, delta


def _write(arrays, values):
    for a, v in zip(arrays, values):
        a._set_value(v)


# ----------------------------------------------------------------------------- base class

class Optimizer:
    """Base class: learning rate (or ``lr_scheduler``), weight decay, ``rescale_grad``,
    ``clip_gradient``, per-parameter ``lr_mult``/``wd_mult`` and update counting.

    ``param_dict`` (index -> gluon Parameter, set by the Trainer) supplies each parameter's
    ``lr_mult``/``wd_mult``; otherwise the ``set_lr_mult``/``set_wd_mult`` tables apply."""
    opt_registry = {}

    def __init__(self, rescale_grad=1., param_idx2name=None, wd=0., clip_gradient=None,
                 learning_rate=None, lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None:
            if lr_scheduler.base_lr != learning_rate:
                print(UserWarning('learning rate from ``lr_scheduler`` has been overwritten by '
                                  '``learning_rate`` in optimizer.'))
                lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise AssertionError('param_idx2name should be a dict of param indexes to names.')
        self.idx2name = dict(param_idx2name)
        if sym is not None:
            raise NotImplementedError('Optimizer(sym=...): mxnet-compat has no Symbol API yet')
        self.param_dict = param_dict if param_dict else {}
        self.set_lr_mult({})
        self.set_wd_mult({})

    # -- registry --------------------------------------------------------------------------
    @staticmethod
    def register(klass):
        """Class decorator: make ``klass`` creatable by its lower-case class name."""
        if not isinstance(klass, type):
            raise AssertionError('register expects a class')
        name = klass.__name__.lower()
        if name in Optimizer.opt_registry:
            warnings.warn('WARNING: New optimizer {}.{} is overriding existing optimizer {}.{}'
                          .format(klass.__module__, klass.__name__,
                                  Optimizer.opt_registry[name].__module__,
                                  Optimizer.opt_registry[name].__name__))
        Optimizer.opt_registry[name] = klass
        return klass

    @staticmethod
    def create_optimizer(name, **kwargs):
        """An optimizer instance from its (case-insensitive) registered name."""
        klass = Optimizer.opt_registry.get(name.lower())
        if klass is None:
            raise ValueError('Cannot find optimizer %s' % name)
        return klass(**kwargs)

    # -- learning rate ---------------------------------------------------------------------
    @property
    def learning_rate(self):
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def set_learning_rate(self, lr):
        if self.lr_scheduler is not None:
            raise UserWarning('LRScheduler of the optimizer has already been defined. Note that '
                              'set_learning_rate can mutate the value of the learning rate of '
                              'the optimizer only when the LRScheduler of the optimizer is '
                              'undefined.')
        self.lr = lr

    def set_lr_mult(self, args_lr_mult):
        self.lr_mult = dict(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        """Without explicit entries, names that do not end in ``_weight``/``_gamma`` (from
        ``param_idx2name``) get no weight decay, as in MXNet."""
        self.wd_mult = {n: 0.0 for n in self.idx2name.values()
                        if not (n.endswith('_weight') or n.endswith('_gamma'))}
        self.wd_mult.update(args_wd_mult)

    def _set_current_context(self, device_id):
        self._index_update_count = self._all_index_update_counts.setdefault(device_id, {})

    def _update_count(self, index):
        for idx in (index if isinstance(index, (list, tuple)) else [index]):
            count = self._index_update_count.get(idx, self.begin_num_update) + 1
            self._index_update_count[idx] = count
            self.num_update = max(count, self.num_update)

    def _mult(self, index, table, attr):
        if index in self.param_dict:
            return getattr(self.param_dict[index], attr)
        if index in table:
            return table[index]
        if index in self.idx2name:
            return table.get(self.idx2name[index], 1.0)
        return 1.0

    def _get_lrs(self, indices):
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        return [lr * self._mult(i, self.lr_mult, 'lr_mult') for i in indices]

    def _get_lr(self, index):
        return self._get_lrs([index])[0]

    def _get_wds(self, indices):
        return [self.wd * self._mult(i, self.wd_mult, 'wd_mult') for i in indices]

    def _get_wd(self, index):
        return self._get_wds([index])[0]

    def _clip_value(self):
        """The kernel's clip bound: -1 (none) unless ``clip_gradient`` is truthy."""
        return float(self.clip_gradient) if self.clip_gradient else -1.0

    # -- states and updates ----------------------------------------------------------------
    def create_state(self, index, weight):
        """Per-weight auxiliary state (momentum...), created on the first update."""
        return None

    def create_state_multi_precision(self, index, weight):
        if self.multi_precision and weight.dtype == numpy.float16:
            master = weight.astype(numpy.float32)
            return (master, self.create_state(index, master))
        if weight.dtype == numpy.float16:
            warnings.warn('Accumulating with float16 in optimizer can lead to poor accuracy or '
                          'slow convergence. Consider using multi_precision=True option of the '
                          'optimizer')
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        raise NotImplementedError()

    def update_multi_precision(self, index, weight, grad, state):
        if self.multi_precision and weight.dtype == numpy.float16:
            master, inner = state
            self.update(index, master, grad.astype(numpy.float32), inner)
            weight._set_value(master._value.astype(weight._value.dtype))
        else:
            self.update(index, weight, grad, state)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop('param_dict', None)
        return state

    def __setstate__(self, state):
        self.__dict__ = state
        self.param_dict = {}


register = Optimizer.register
create = Optimizer.create_optimizer


def _check(weight, grad):
    if not isinstance(weight, NDArray) or not isinstance(grad, NDArray):
        raise AssertionError('weight and grad must be NDArrays')


# ----------------------------------------------------------------------------- optimizers

@register
class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum and weight decay (see the
    module docstring for the exact update)."""

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        return zeros(weight.shape, weight.context, dtype=weight.dtype)

    def update(self, index, weight, grad, state):
        _check(weight, grad)
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        clip = self._clip_value()
        if state is not None:
            _write((weight, state), _sgd_mom(weight._value, grad._value, state._value, lr, wd,
                                             self.rescale_grad, clip, self.momentum))
        else:
            weight._set_value(_sgd(weight._value, grad._value, lr, wd, self.rescale_grad, clip))


@register
class NAG(Optimizer):
    """Nesterov accelerated gradient (MXNet's ``nag_mom_update``): with
    ``s = lr * (clip(rescale_grad*grad) + wd*weight)``,
    ``weight += momentum * (momentum*mom - s) - s``, then
    ``mom = momentum*mom - lr * (clip(rescale_grad*grad) + wd*new_weight)``; plain SGD without
    momentum."""

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        return zeros(weight.shape, weight.context, dtype=weight.dtype)

    def update(self, index, weight, grad, state):
        _check(weight, grad)
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        clip = self._clip_value()
        if state is not None:
            _write((weight, state), _nag_mom(weight._value, grad._value, state._value, lr, wd,
                                             self.rescale_grad, clip, self.momentum))
        else:
            weight._set_value(_sgd(weight._value, grad._value, lr, wd, self.rescale_grad, clip))


@register
class Adam(Optimizer):
    """Adam (Kingma & Ba); the bias correction is folded into the learning rate,
    ``lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)``, as MXNet does."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return (zeros(weight.shape, weight.context, dtype=weight.dtype),
                zeros(weight.shape, weight.context, dtype=weight.dtype))

    def update(self, index, weight, grad, state):
        _check(weight, grad)
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        t = self._index_update_count[index]
        lr *= math.sqrt(1. - self.beta2 ** t) / (1. - self.beta1 ** t)
        mean, var = state
        _write((weight, mean, var),
               _adam(weight._value, grad._value, mean._value, var._value, lr, wd,
                     self.rescale_grad, self._clip_value(), self.beta1, self.beta2,
                     self.epsilon))


@register
class AdaGrad(Optimizer):
    """AdaGrad: ``history += g**2``; ``weight -= lr * (g / sqrt(history + eps) + wd*weight)``.
    Unlike the others, MXNet clips here whenever ``clip_gradient is not None``."""

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        return zeros(weight.shape, weight.context)

    def update(self, index, weight, grad, state):
        _check(weight, grad)
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        clip = -1.0 if self.clip_gradient is None else float(self.clip_gradient)
        _write((weight, state), _adagrad(weight._value, grad._value, state._value, lr, wd,
                                         self.rescale_grad, clip, self.float_stable_eps))


@register
class RMSProp(Optimizer):
    """RMSProp: Tieleman & Hinton's form, or Graves' ``centered`` form."""

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8,
                 centered=False, clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight):
        n = 3 if self.centered else 1
        return tuple(zeros(weight.shape, weight.context) for _ in range(n))

    def update(self, index, weight, grad, state):
        _check(weight, grad)
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        clip = self._clip_value()
        cw = float(self.clip_weights) if self.clip_weights else -1.0
        if self.centered:
            n, g, delta = state
            _write((weight, n, g, delta), _rmsprop_centered(
                weight._value, grad._value, n._value, g._value, delta._value, lr, wd,
                self.rescale_grad, clip, self.gamma1, self.gamma2, self.epsilon, cw))
        else:
            (n,) = state
            _write((weight, n), _rmsprop(weight._value, grad._value, n._value, lr, wd,
                                         self.rescale_grad, clip, self.gamma1, self.epsilon, cw))


# ----------------------------------------------------------------------------- updater

class Updater:
    """Applies an optimizer to indexed weights, creating each weight's state on first use
    (what a Trainer keeps one of per context)."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}
        self.states_synced = {}

    def __call__(self, index, grad, weight):
        """Update ``weight`` (or a list of weights) in place from ``grad``."""
        if isinstance(index, (list, tuple)):
            indices, grads, weights = list(index), list(grad), list(weight)
        else:
            indices, grads, weights = [index], [grad], [weight]
        if weights:
            self.optimizer._set_current_context(weights[0].context.device_id)
        for i, g, w in zip(indices, grads, weights):
            if i not in self.states:
                self.states[i] = self.optimizer.create_state_multi_precision(i, w)
                self.states_synced[i] = True
            elif not self.states_synced[i]:
                self.states[i] = _sync_state(self.states[i], w.context)
                self.states_synced[i] = True
            self.optimizer.update_multi_precision(i, w, g, self.states[i])

    def get_states(self, dump_optimizer=False):
        """The states (as numpy arrays) pickled, with the optimizer if asked."""
        states = {k: _state_to_numpy(v) for k, v in self.states.items()}
        return pickle.dumps((states, self.optimizer) if dump_optimizer else states)

    def set_states(self, states):
        states = pickle.loads(states)
        if isinstance(states, tuple) and len(states) == 2:
            states, self.optimizer = states
        self.states = {k: _state_from_numpy(v) for k, v in states.items()}
        self.states_synced = dict.fromkeys(self.states, False)


def _sync_state(state, ctx):
    if isinstance(state, NDArray):
        return state.as_in_context(ctx)
    if isinstance(state, (tuple, list)):
        return type(state)(_sync_state(s, ctx) for s in state)
    return state


def _state_to_numpy(state):
    if isinstance(state, NDArray):
        return ('nd', state.asnumpy())
    if isinstance(state, (tuple, list)):
        return type(state)(_state_to_numpy(s) for s in state)
    return state


def _state_from_numpy(state):
    from ..ndarray import array
    if isinstance(state, tuple) and len(state) == 2 and state[0] == 'nd':
        return array(state[1], dtype=state[1].dtype)
    if isinstance(state, (tuple, list)):
        return type(state)(_state_from_numpy(s) for s in state)
    return state


def get_updater(optimizer):
    """An :class:`Updater` for ``optimizer``."""
    return Updater(optimizer)
