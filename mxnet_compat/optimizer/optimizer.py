"""Optimizers: MXNet 1.9.1's ``mx.optimizer`` classes.

As in MXNet, an optimizer that has an update operator calls it, ``nd.X_update(weight, grad,
*states, out=weight, ...)``, which writes the new weight and updates the state arrays in
place; the formulas (and their checks against MXNet) live once, in
``ndarray/ops_optimizer.py``.  Optimizers without an operator (AdaGrad on dense gradients,
AdaDelta, Adamax, Nadam, SGLD, DCASGD) spell out MXNet's NDArray arithmetic here.

Hyper-parameters are passed to the operators the way MXNet's optimizers pass them: most
pass ``clip_gradient`` only when it is truthy (so ``clip_gradient=0`` means no clipping),
while the formula-based ones clip whenever it is not None.

Mixed precision (``multi_precision=True`` with float16 weights) keeps a float32 master copy:
SGD and NAG use the ``mp_*`` operators with state ``(momentum, weight32)``; LAMB uses
``mp_lamb_*`` with ``(weight32, (mean, var))``; every other optimizer updates the master
copy with its float32 rule and casts it back into the weight (state ``(weight32, state)``).
"""
import math
import os
import pickle
import warnings

import numpy

from .. import ndarray as nd
from ..ndarray import NDArray, zeros

__all__ = ['Optimizer', 'Updater', 'SGD', 'NAG', 'Adam', 'AdaGrad', 'RMSProp', 'AdaDelta',
           'Adamax', 'Nadam', 'Signum', 'FTML', 'Ftrl', 'LAMB', 'SGLD', 'DCASGD', 'ccSGD',
           'register', 'create', 'get_updater']


# ----------------------------------------------------------------------------- base class

def _momentum_state(momentum, weight):
    """The momentum buffer of SGD-like optimizers: none when momentum is 0."""
    return None if momentum == 0.0 else _zeros_like(weight)


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

    def _begin_update(self, index, weight, grad):
        """The start of every single-weight update: check the arrays, count the update
        (which moves a scheduler), then this weight's (lr, wd)."""
        _check(weight, grad)
        self._update_count(index)
        return self._get_lr(index), self._get_wd(index)

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

    def _clip_kwargs(self):
        """``clip_gradient`` for an update operator: passed only when truthy, as MXNet does."""
        return {'clip_gradient': self.clip_gradient} if self.clip_gradient else {}

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
            nd.cast(master, dtype=weight.dtype, out=weight)
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

def _zeros_like(weight, dtype=None):
    return zeros(weight.shape, weight.context, dtype=dtype or weight.dtype)


def _clip_grad(grad, clip_gradient):
    """The formula-based optimizers' clipping: whenever ``clip_gradient`` is not None."""
    if clip_gradient is None:
        return grad
    return nd.clip(grad, -clip_gradient, clip_gradient)


class _MasterCopyFirst(Optimizer):
    """SGD and NAG's mixed precision: state ``(state, weight32)`` and the ``mp_*`` ops."""

    def create_state_multi_precision(self, index, weight):
        if self.multi_precision and weight.dtype == numpy.float16:
            master = weight.astype(numpy.float32)
            return (self.create_state(index, master), master)
        if weight.dtype == numpy.float16:
            warnings.warn('Accumulating with float16 in optimizer can lead to poor accuracy or '
                          'slow convergence. Consider using multi_precision=True option of the '
                          '{} optimizer'.format(type(self).__name__))
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        indices = index if isinstance(index, (list, tuple)) else [index]
        first = weight[0] if isinstance(weight, (list, tuple)) else weight
        mp = bool(indices) and self.multi_precision and first.dtype == numpy.float16
        self._update_impl(index, weight, grad, state, multi_precision=mp)

    def _momentum_kwargs(self):
        kwargs = {'rescale_grad': self.rescale_grad}
        if self.momentum > 0:
            kwargs['momentum'] = self.momentum
        kwargs.update(self._clip_kwargs())
        return kwargs


@register
class SGD(_MasterCopyFirst):
    """Stochastic gradient descent with optional momentum (``sgd_update`` /
    ``sgd_mom_update``, or their ``mp_`` forms with ``multi_precision``)."""

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return _momentum_state(self.momentum, weight)

    def _update_impl(self, indices, weights, grads, states, multi_precision=False):
        if not isinstance(indices, (tuple, list)):
            indices, weights, grads, states = [indices], [weights], [grads], [states]
        for w, g in zip(weights, grads):
            _check(w, g)
        self._update_count(indices)
        kwargs = self._momentum_kwargs()
        for w, g, state, lr, wd in zip(weights, grads, states, self._get_lrs(indices),
                                       self._get_wds(indices)):
            if not multi_precision:
                if state is not None:
                    nd.sgd_mom_update(w, g, state, out=w, lazy_update=self.lazy_update, lr=lr,
                                      wd=wd, **kwargs)
                else:
                    nd.sgd_update(w, g, out=w, lazy_update=self.lazy_update, lr=lr, wd=wd,
                                  **kwargs)
            elif state[0] is not None:
                nd.mp_sgd_mom_update(w, g, state[0], state[1], out=w, lr=lr, wd=wd, **kwargs)
            else:
                nd.mp_sgd_update(w, g, state[1], out=w, lr=lr, wd=wd, **kwargs)


@register
class ccSGD(SGD):   # noqa: N801  (MXNet's name)
    """[Deprecated in MXNet] the same as :class:`SGD`."""


@register
class NAG(_MasterCopyFirst):
    """Nesterov accelerated gradient (``nag_mom_update``; plain ``sgd_update`` without
    momentum)."""

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum

    def create_state(self, index, weight):
        return _momentum_state(self.momentum, weight)

    def _update_impl(self, index, weight, grad, state, multi_precision=False):
        lr, wd = self._begin_update(index, weight, grad)
        kwargs = self._momentum_kwargs()
        if not multi_precision:
            if state is not None:
                nd.nag_mom_update(weight, grad, state, out=weight, lr=lr, wd=wd, **kwargs)
            else:
                nd.sgd_update(weight, grad, out=weight, lr=lr, wd=wd, **kwargs)
        elif state[0] is not None:
            nd.mp_nag_mom_update(weight, grad, state[0], state[1], out=weight, lr=lr, wd=wd,
                                 **kwargs)
        else:
            nd.mp_sgd_update(weight, grad, state[1], out=weight, lr=lr, wd=wd, **kwargs)


@register
class Signum(Optimizer):
    """signSGD / Signum (Bernstein et al. 2018): ``signum_update``, or ``signsgd_update``
    when ``momentum`` is 0.  ``wd_lh`` is decoupled weight decay."""

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state(self, index, weight):
        return _momentum_state(self.momentum, weight)

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        kwargs = {'rescale_grad': self.rescale_grad}
        if self.momentum > 0:
            kwargs['momentum'] = self.momentum
        kwargs.update(self._clip_kwargs())
        if self.wd_lh:
            kwargs['wd_lh'] = self.wd_lh
        if state is not None:
            nd.signum_update(weight, grad, state, out=weight, lr=lr, wd=wd, **kwargs)
        else:
            kwargs.pop('wd_lh', None)
            kwargs.pop('momentum', None)
            nd.signsgd_update(weight, grad, out=weight, lr=lr, wd=wd, **kwargs)


@register
class FTML(Optimizer):
    """Follow the Moving Leader (``ftml_update``); state ``(d, v, z)``."""

    def __init__(self, beta1=0.6, beta2=0.999, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon

    def create_state(self, index, weight):
        return tuple(_zeros_like(weight) for _ in range(3))

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        kwargs = {'beta1': self.beta1, 'beta2': self.beta2, 'epsilon': self.epsilon,
                  'rescale_grad': self.rescale_grad, 't': self._index_update_count[index]}
        if self.clip_gradient:
            kwargs['clip_grad'] = self.clip_gradient
        d, v, z = state
        nd.ftml_update(weight, grad, d, v, z, out=weight, lr=lr, wd=wd, **kwargs)


@register
class Adam(Optimizer):
    """Adam (``adam_update``); the bias correction is folded into the learning rate,
    ``lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)``, as MXNet does."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return (_zeros_like(weight), _zeros_like(weight))

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        t = self._index_update_count[index]
        lr *= math.sqrt(1. - self.beta2 ** t) / (1. - self.beta1 ** t)
        mean, var = state
        nd.adam_update(weight, grad, mean, var, out=weight, lazy_update=self.lazy_update, lr=lr,
                       wd=wd, beta1=self.beta1, beta2=self.beta2, epsilon=self.epsilon,
                       rescale_grad=self.rescale_grad, **self._clip_kwargs())


@register
class AdaGrad(Optimizer):
    """AdaGrad: ``history += g**2``; ``weight -= lr * (g / sqrt(history + eps) + wd*weight)``
    (MXNet's dense path has no operator; the state is float32 whatever the weight)."""

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        return zeros(weight.shape, weight.context)

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        grad = _clip_grad(grad * self.rescale_grad, self.clip_gradient)
        state[:] += nd.square(grad)
        div = grad / nd.sqrt(state + self.float_stable_eps)
        weight[:] += (div + weight * wd) * -lr


@register
class RMSProp(Optimizer):
    """RMSProp: Tieleman & Hinton's form (``rmsprop_update``) or Graves' ``centered`` form
    (``rmspropalex_update``)."""

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8,
                 centered=False, clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1, self.gamma2 = gamma1, gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight):
        return tuple(zeros(weight.shape, weight.context) for _ in range(3 if self.centered else 1))

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        kwargs = {'gamma1': self.gamma1, 'epsilon': self.epsilon,
                  'rescale_grad': self.rescale_grad}
        kwargs.update(self._clip_kwargs())
        if self.clip_weights:
            kwargs['clip_weights'] = self.clip_weights
        if self.centered:
            n, g, delta = state
            nd.rmspropalex_update(weight, grad, n, g, delta, out=weight, lr=lr, wd=wd,
                                  gamma2=self.gamma2, **kwargs)
        else:
            (n,) = state
            nd.rmsprop_update(weight, grad, n, out=weight, lr=lr, wd=wd, **kwargs)


@register
class AdaDelta(Optimizer):
    """AdaDelta (Zeiler 2012); no learning rate.  No operator: NDArray arithmetic.

    MXNet multiplies the caller's ``grad`` by ``rescale_grad`` in place; so do we."""

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def create_state(self, index, weight):
        return (zeros(weight.shape, weight.context), zeros(weight.shape, weight.context))

    def update(self, index, weight, grad, state):
        _check(weight, grad)
        wd = self._get_wd(index)
        self._update_count(index)
        grad *= self.rescale_grad
        grad = _clip_grad(grad, self.clip_gradient)
        acc_g, acc_delta = state
        acc_g[:] *= self.rho
        acc_g[:] += (1. - self.rho) * grad * grad
        delta = nd.sqrt(acc_delta + self.epsilon) / nd.sqrt(acc_g + self.epsilon) * grad
        acc_delta[:] *= self.rho
        acc_delta[:] += (1. - self.rho) * delta * delta
        weight[:] -= delta + wd * weight


@register
class Ftrl(Optimizer):
    """FTRL-proximal (``ftrl_update``); the learning rate defaults to 0.1."""

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super().__init__(**kwargs)
        self.lamda1 = lamda1
        self.beta = beta
        self.lr = learning_rate

    def create_state(self, index, weight):
        return (zeros(weight.shape, weight.context), zeros(weight.shape, weight.context))

    def update(self, index, weight, grad, state):
        _check(weight, grad)
        self._update_count(index)
        wd, lr = self._get_wd(index), self._get_lr(index)
        z, n = state
        nd.ftrl_update(weight, grad, z, n, out=weight, lr=lr, wd=wd, lamda1=self.lamda1,
                       beta=self.beta, rescale_grad=self.rescale_grad, **self._clip_kwargs())


@register
class Adamax(Optimizer):
    """AdaMax (Adam with the infinity norm): ``u = max(beta2*u, |g|)``,
    ``weight -= lr / (1 - beta1**t) * m / u``.  No operator: NDArray arithmetic."""

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2 = beta1, beta2

    def create_state(self, index, weight):
        return (_zeros_like(weight), _zeros_like(weight))

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        lr /= (1. - self.beta1 ** self._index_update_count[index])
        grad = _clip_grad(grad * self.rescale_grad + wd * weight, self.clip_gradient)
        m_t, u_t = state
        m_t[:] *= self.beta1
        m_t[:] += (1. - self.beta1) * grad
        u_t[:] = nd.maximum(self.beta2 * u_t, nd.abs(grad))
        weight[:] -= lr * m_t / u_t


@register
class Nadam(Optimizer):
    """Adam with Nesterov momentum (Dozat 2016) and a momentum schedule
    ``beta1 * (1 - 0.5 * 0.96**(t * schedule_decay))``.  No operator: NDArray arithmetic.
    As in MXNet the running schedule product is one per optimizer, not per weight."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.schedule_decay = schedule_decay
        self.m_schedule = 1.

    def create_state(self, index, weight):
        return (_zeros_like(weight), _zeros_like(weight))

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        t = self._index_update_count[index]
        grad = _clip_grad(grad * self.rescale_grad + wd * weight, self.clip_gradient)
        momentum_t = self.beta1 * (1. - 0.5 * (pow(0.96, t * self.schedule_decay)))
        momentum_t_1 = self.beta1 * (1. - 0.5 * (pow(0.96, (t + 1) * self.schedule_decay)))
        self.m_schedule = self.m_schedule * momentum_t
        m_schedule_next = self.m_schedule * momentum_t_1
        m_t, v_t = state
        m_t[:] *= self.beta1
        m_t[:] += (1. - self.beta1) * grad
        v_t[:] *= self.beta2
        v_t[:] += (1. - self.beta2) * grad * grad
        grad_prime = grad / (1. - self.m_schedule)
        m_t_prime = m_t / (1. - m_schedule_next)
        v_t_prime = v_t / (1. - pow(self.beta2, t))
        m_t_bar = (1. - momentum_t) * grad_prime + momentum_t_1 * m_t_prime
        weight[:] -= lr * m_t_bar / (nd.sqrt(v_t_prime) + self.epsilon)


@register
class LAMB(Optimizer):
    """LAMB (You et al. 2019): ``lamb_update_phase1`` gives the Adam direction plus weight
    decay, ``lamb_update_phase2`` scales it by the trust ratio ``||w|| / ||g||``."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6,
                 lower_bound=None, upper_bound=None, bias_correction=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.lower_bound, self.upper_bound = lower_bound, upper_bound
        self.bias_correction = bias_correction
        self.aggregate_num = max(1, min(45, int(os.getenv('MXNET_OPTIMIZER_AGGREGATION_SIZE',
                                                          '45'))))

    def create_state(self, index, weight):
        return (_zeros_like(weight), _zeros_like(weight))

    def _update_impl(self, index, weight, grad, state, multi_precision=False):
        if isinstance(index, (tuple, list)):   # one at a time: same numbers as MXNet's multi op
            for i, w, g, s in zip(index, weight, grad, state):
                self._update_impl(i, w, g, s, multi_precision)
            return
        lr, wd = self._begin_update(index, weight, grad)
        kwargs = {'beta1': self.beta1, 'beta2': self.beta2, 'epsilon': self.epsilon,
                  'bias_correction': self.bias_correction, 'rescale_grad': self.rescale_grad,
                  't': self._index_update_count[index]}
        kwargs.update(self._clip_kwargs())
        bounds = {}
        if self.lower_bound:
            bounds['lower_bound'] = self.lower_bound
        if self.upper_bound:
            bounds['upper_bound'] = self.upper_bound
        if multi_precision:
            weight32, (mean, var) = state
            g = nd.mp_lamb_update_phase1(weight, grad, mean, var, weight32, wd=wd, **kwargs)
            nd.mp_lamb_update_phase2(weight, g, weight32.norm(), g.norm(), weight32, lr=lr,
                                     out=weight, **bounds)
        else:
            mean, var = state
            g = nd.lamb_update_phase1(weight, grad, mean, var, wd=wd, **kwargs)
            nd.lamb_update_phase2(weight, g, weight.norm(), g.norm(), lr=lr, out=weight,
                                  **bounds)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        first = weight[0] if isinstance(weight, (list, tuple)) else weight
        self._update_impl(index, weight, grad, state,
                          multi_precision=self.multi_precision and first.dtype == numpy.float16)


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics: a half SGD step plus N(0, lr) noise drawn
    from ``mx.random``'s stream."""

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        grad = _clip_grad(grad * self.rescale_grad, self.clip_gradient)
        weight[:] += - lr / 2 * (grad + wd * weight)
        weight[:] += nd.random.normal(0, math.sqrt(lr), shape=weight.shape, dtype=weight.dtype,
                                      ctx=weight.context)


@register
class DCASGD(Optimizer):
    """Delay-compensated async SGD (Zheng et al. 2016): the gradient gains
    ``lamda * g * g * (weight - previous_weight)``; state ``(momentum or None, previous)``.

    Differs from MXNet: MXNet tests ``if mom:`` on an NDArray, which fails for momentum > 0
    (ambiguous truth value, or a false assertion on a one-element zero momentum); we test
    ``is not None``."""

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.weight_previous = {}
        self.lamda = lamda

    def create_state(self, index, weight):
        mom = _momentum_state(self.momentum, weight)
        return (mom, weight.copy())

    def update(self, index, weight, grad, state):
        lr, wd = self._begin_update(index, weight, grad)
        grad = _clip_grad(grad * self.rescale_grad, self.clip_gradient)
        mom, previous = state
        step = -lr * (grad + wd * weight + self.lamda * grad * grad * (weight - previous))
        if mom is not None:
            mom[:] *= self.momentum
            mom[:] += step
            step = mom
        previous[:] = weight
        weight[:] += step

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
