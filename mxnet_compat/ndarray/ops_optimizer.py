"""Optimizer update operators (``sgd_update``, ``adam_update``, ...).

They are how MXNet's optimizers update a weight: the result is the new weight (user code
passes ``out=weight``), and the optimizer's state arrays (``mom``, ``mean``, ``var``, ...)
are updated in place, as in MXNet (``mutates=`` in the records).  Formulas follow the
MXNet 1.9.1 kernels, checked against it numerically in tests/test_ops_optimizer.py:
``rescale_grad`` scales the gradient, ``clip_gradient >= 0`` clips it, and ``wd`` is
applied as in each kernel (mostly folded into the gradient)."""
import jax.numpy as jnp

from .registry import Param, register, REQUIRED


def _p(name, default=REQUIRED, kind='float'):
    return Param(name, default, kind, dynamic=kind == 'float')


_COMMON = (_p('wd', 0.0), _p('rescale_grad', 1.0), _p('clip_gradient', -1.0))
_LAZY = (Param('lazy_update', True, 'bool'),)


def _grad(grad, rescale_grad, clip_gradient):
    g = grad * rescale_grad
    return jnp.where(clip_gradient >= 0, jnp.clip(g, -clip_gradient, clip_gradient), g)


def _grad_wd(grad, weight, wd, rescale_grad, clip_gradient):
    """clip(rescale_grad * grad + wd * weight): the kernels that clip after weight decay."""
    g = grad * rescale_grad + wd * weight
    return jnp.where(clip_gradient >= 0, jnp.clip(g, -clip_gradient, clip_gradient), g)


def _reg(name, inputs, params, mutates=(), **kw):
    return register(name, inputs=inputs, params=params, mutates=mutates, differentiable=False,
                    family='optimizer', fusable=True, **kw)


@_reg('sgd_update', ('weight', 'grad'), (_p('lr'),) + _COMMON + _LAZY)
def _sgd(weight, grad, lr, wd, rescale_grad, clip_gradient, lazy_update):
    """weight = (1 - lr*wd) * weight - lr * clip(rescale_grad * grad)."""
    return (1 - lr * wd) * weight - lr * _grad(grad, rescale_grad, clip_gradient)


@_reg('sgd_mom_update', ('weight', 'grad', 'mom'),
      (_p('lr'), _p('momentum', 0.0)) + _COMMON + _LAZY, mutates=(2,))
def _sgd_mom(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient, lazy_update):
    """mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad); weight += mom."""
    mom = momentum * mom - lr * wd * weight - lr * _grad(grad, rescale_grad, clip_gradient)
    return weight + mom, mom


@_reg('nag_mom_update', ('weight', 'grad', 'mom'), (_p('lr'), _p('momentum', 0.0)) + _COMMON,
      mutates=(2,))
def _nag(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient):
    """Nesterov momentum: g = clip(rescale_grad*grad); mom' = momentum*mom - lr*(g + wd*weight);
    weight' = weight + momentum*mom' - lr*(g + wd*weight).

    MXNet 1.9.1's kernel, called as ``out=weight`` (how its optimizer calls it), stores a
    momentum whose weight-decay term uses the *updated* weight; we reproduce that."""
    g = _grad(grad, rescale_grad, clip_gradient)
    step = momentum * mom - lr * (g + wd * weight)
    new_weight = weight + momentum * step - lr * (g + wd * weight)
    return new_weight, momentum * mom - lr * (g + wd * new_weight)


@_reg('adam_update', ('weight', 'grad', 'mean', 'var'),
      (_p('lr'), _p('beta1', 0.9), _p('beta2', 0.999), _p('epsilon', 1e-8)) + _COMMON
      + _LAZY, mutates=(2, 3))
def _adam(weight, grad, mean, var, lr, beta1, beta2, epsilon, wd, rescale_grad, clip_gradient,
          lazy_update):
    """g = clip(rescale_grad*grad + wd*weight); mean, var = moving moments of g;
    weight -= lr * mean / (sqrt(var) + epsilon) (bias correction is the optimizer's job)."""
    g = _grad_wd(grad, weight, wd, rescale_grad, clip_gradient)
    mean = beta1 * mean + (1 - beta1) * g
    var = beta2 * var + (1 - beta2) * g * g
    return weight - lr * mean / (jnp.sqrt(var) + epsilon), mean, var


def _clip_weights(w, clip_weights):
    return jnp.where(clip_weights > 0, jnp.clip(w, -clip_weights, clip_weights), w)


@_reg('rmsprop_update', ('weight', 'grad', 'n'),
      (_p('lr'), _p('gamma1', 0.95), _p('epsilon', 1e-8)) + _COMMON
      + (_p('clip_weights', -1.0),), mutates=(2,))
def _rmsprop(weight, grad, n, lr, gamma1, epsilon, wd, rescale_grad, clip_gradient, clip_weights):
    """g = clip(rescale_grad*grad + wd*weight); n = (1-gamma1)*g^2 + gamma1*n;
    weight -= lr * g / sqrt(n + epsilon)."""
    g = _grad_wd(grad, weight, wd, rescale_grad, clip_gradient)
    n = (1 - gamma1) * g * g + gamma1 * n
    return _clip_weights(weight - lr * g / jnp.sqrt(n + epsilon), clip_weights), n


@_reg('rmspropalex_update', ('weight', 'grad', 'n', 'g', 'delta'),
      (_p('lr'), _p('gamma1', 0.95), _p('gamma2', 0.9), _p('epsilon', 1e-8)) + _COMMON
      + (_p('clip_weights', -1.0),), mutates=(2, 3, 4))
def _rmspropalex(weight, grad, n, g, delta, lr, gamma1, gamma2, epsilon, wd, rescale_grad,
                 clip_gradient, clip_weights):
    """Centred RMSProp (Graves 2013): running E[g^2], E[g], and a momentum ``delta``."""
    gr = _grad_wd(grad, weight, wd, rescale_grad, clip_gradient)
    n = (1 - gamma1) * gr * gr + gamma1 * n
    g = (1 - gamma1) * gr + gamma1 * g
    delta = gamma2 * delta - lr * gr / jnp.sqrt(n - g * g + epsilon)
    return _clip_weights(weight + delta, clip_weights), n, g, delta


@_reg('signsgd_update', ('weight', 'grad'), (_p('lr'),) + _COMMON)
def _signsgd(weight, grad, lr, wd, rescale_grad, clip_gradient):
    """weight = (1 - lr*wd) * weight - lr * sign(grad)."""
    return (1 - lr * wd) * weight - lr * jnp.sign(_grad(grad, rescale_grad, clip_gradient))


@_reg('signum_update', ('weight', 'grad', 'mom'),
      (_p('lr'), _p('momentum', 0.0)) + _COMMON + (_p('wd_lh', 0.0),), mutates=(2,))
def _signum(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient, wd_lh):
    """mom = momentum*mom - (1-momentum)*(wd*weight + g); weight = (1-lr*wd_lh)*weight +
    lr*sign(mom)."""
    g = _grad(grad, rescale_grad, clip_gradient)
    mom = momentum * mom - (1 - momentum) * (wd * weight + g)
    return (1 - lr * wd_lh) * weight + lr * jnp.sign(mom), mom


@_reg('ftrl_update', ('weight', 'grad', 'z', 'n'),
      (_p('lr'), _p('lamda1', 0.01), _p('beta', 1.0)) + _COMMON, mutates=(2, 3))
def _ftrl(weight, grad, z, n, lr, lamda1, beta, wd, rescale_grad, clip_gradient):
    """Follow-the-regularised-leader (McMahan et al. 2013), as MXNet's docstring states."""
    g = _grad(grad, rescale_grad, clip_gradient)
    z = z + g - (jnp.sqrt(n + g * g) - jnp.sqrt(n)) * weight / lr
    n = n + g * g
    w = (jnp.sign(z) * lamda1 - z) / ((beta + jnp.sqrt(n)) / lr + wd) * (jnp.abs(z) > lamda1)
    return w.astype(weight.dtype), z, n


@_reg('ftml_update', ('weight', 'grad', 'd', 'v', 'z'),
      (_p('lr'), _p('beta1', 0.6), _p('beta2', 0.999), _p('epsilon', 1e-8),
       Param('t', None, 'int'), _p('wd', 0.0), _p('rescale_grad', 1.0), _p('clip_grad', -1.0)),
      mutates=(2, 3, 4))
def _ftml(weight, grad, d, v, z, lr, beta1, beta2, epsilon, wd, rescale_grad, clip_grad, t):
    """Follow the Moving Leader (Zheng & Kwok 2017); g = clip(rescale_grad*grad + wd*weight)."""
    g = _grad_wd(grad, weight, wd, rescale_grad, clip_grad)
    v = beta2 * v + (1 - beta2) * g * g
    d_t = (1 - beta1 ** t) / lr * (jnp.sqrt(v / (1 - beta2 ** t)) + epsilon)
    sigma = d_t - beta1 * d
    z = beta1 * z + (1 - beta1) * g - sigma * weight     # (1 - beta1), not the paper's beta1^t
    return -z / d_t, d_t, v, z


@_reg('mp_sgd_update', ('weight', 'grad', 'weight32'), (_p('lr'),) + _COMMON + _LAZY,
      mutates=(2,), same_dtype_inputs=False, dtype=None)
def _mp_sgd(weight, grad, weight32, lr, wd, rescale_grad, clip_gradient, lazy_update):
    """sgd_update on a float32 master copy ``weight32``; the result is it cast to weight's
    dtype (mixed precision)."""
    w32 = (1 - lr * wd) * weight32 - lr * _grad(grad.astype(jnp.float32), rescale_grad,
                                                  clip_gradient)
    return w32.astype(weight.dtype), w32


@_reg('mp_sgd_mom_update', ('weight', 'grad', 'mom', 'weight32'),
      (_p('lr'), _p('momentum', 0.0)) + _COMMON + _LAZY, mutates=(2, 3),
      same_dtype_inputs=False, dtype=None)
def _mp_sgd_mom(weight, grad, mom, weight32, lr, momentum, wd, rescale_grad, clip_gradient,
                lazy_update):
    """sgd_mom_update on a float32 master copy (mixed precision)."""
    mom = momentum * mom - lr * wd * weight32 - lr * _grad(grad.astype(jnp.float32),
                                                           rescale_grad, clip_gradient)
    w32 = weight32 + mom
    return w32.astype(weight.dtype), mom, w32


@_reg('mp_nag_mom_update', ('weight', 'grad', 'mom', 'weight32'),
      (_p('lr'), _p('momentum', 0.0)) + _COMMON, mutates=(2, 3),
      same_dtype_inputs=False, dtype=None)
def _mp_nag(weight, grad, mom, weight32, lr, momentum, wd, rescale_grad, clip_gradient):
    """nag_mom_update on a float32 master copy (mixed precision)."""
    w32, mom = _nag.impl(weight32, grad.astype(jnp.float32), mom, lr=lr, momentum=momentum, wd=wd,
                    rescale_grad=rescale_grad, clip_gradient=clip_gradient)
    return w32.astype(weight.dtype), mom, w32


@_reg('lamb_update_phase1', ('weight', 'grad', 'mean', 'var'),
      (_p('beta1', 0.9), _p('beta2', 0.999), _p('epsilon', 1e-6), Param('t', kind='int'),
       Param('bias_correction', True, 'bool'), _p('wd'), _p('rescale_grad', 1.0),
       _p('clip_gradient', -1.0)), mutates=(2, 3))
def _lamb1(weight, grad, mean, var, beta1, beta2, epsilon, wd, rescale_grad, clip_gradient, t,
           bias_correction):
    """LAMB phase I: update the moments and return the direction g (with weight decay)."""
    g = _grad(grad, rescale_grad, clip_gradient)
    mean = beta1 * mean + (1 - beta1) * g
    var = beta2 * var + (1 - beta2) * g * g
    m, v = (mean / (1 - beta1 ** t), var / (1 - beta2 ** t)) if bias_correction else (mean, var)
    return m / (jnp.sqrt(v) + epsilon) + wd * weight, mean, var


@_reg('lamb_update_phase2', ('weight', 'g', 'r1', 'r2'),
      (_p('lr'), _p('lower_bound', -1.0), _p('upper_bound', -1.0)))
def _lamb2(weight, g, r1, r2, lr, lower_bound, upper_bound):
    """LAMB phase II: weight -= lr * (r1 / r2) * g, with r1 = ||weight|| clamped to the
    bounds and the ratio 1 where either norm is 0."""
    r1 = jnp.where(lower_bound >= 0, jnp.maximum(r1, lower_bound), r1)
    r1 = jnp.where(upper_bound >= 0, jnp.minimum(r1, upper_bound), r1)
    ratio = jnp.where((r1 == 0) | (r2 == 0), 1.0, r1 / r2)
    return weight - lr * ratio * g


@_reg('mp_lamb_update_phase1', ('weight', 'grad', 'mean', 'var', 'weight32'),
      (_p('beta1', 0.9), _p('beta2', 0.999), _p('epsilon', 1e-6), Param('t', kind='int'),
       Param('bias_correction', True, 'bool'), _p('wd'), _p('rescale_grad', 1.0),
       _p('clip_gradient', -1.0)), mutates=(2, 3), same_dtype_inputs=False, dtype=None)
def _mp_lamb1(weight, grad, mean, var, weight32, beta1, beta2, epsilon, wd, rescale_grad,
              clip_gradient, t, bias_correction):
    """lamb_update_phase1 on a float32 master copy (mixed precision)."""
    return _lamb1.impl(weight32, grad.astype(jnp.float32), mean, var, beta1, beta2, epsilon, wd,
                       rescale_grad, clip_gradient, t=t, bias_correction=bias_correction)


@_reg('mp_lamb_update_phase2', ('weight', 'g', 'r1', 'r2', 'weight32'),
      (_p('lr'), _p('lower_bound', -1.0), _p('upper_bound', -1.0)), mutates=(4,),
      same_dtype_inputs=False, dtype=None)
def _mp_lamb2(weight, g, r1, r2, weight32, lr, lower_bound, upper_bound):
    """lamb_update_phase2 on a float32 master copy (mixed precision)."""
    w32 = _lamb2.impl(weight32, g, r1, r2, lr, lower_bound, upper_bound)
    return w32.astype(weight.dtype), w32


@_reg('multi_sum_sq', ('data',), (Param('num_arrays', 1, 'int'),), variadic=True, dtype=None,
      same_dtype_inputs=False)
def _multi_sum_sq(*data, num_arrays):
    """The sum of squares of each array, as one float32 vector."""
    return jnp.stack([jnp.sum(jnp.square(d.astype(jnp.float32))) for d in data])


@_reg('multi_lars', ('lrs', 'weights_sum_sq', 'grads_sum_sq', 'wds'),
      (_p('eta'), _p('eps'), _p('rescale_grad', 1.0)))
def _multi_lars(lrs, weights_sum_sq, grads_sum_sq, wds, eta, eps, rescale_grad):
    """LARS learning rates: lr * eta * |w| / (|g| * rescale_grad + wd * |w| + eps), or lr
    where either norm is 0."""
    w = jnp.sqrt(weights_sum_sq)
    g = jnp.sqrt(grads_sum_sq) * rescale_grad
    return jnp.where((w > 0) & (g > 0), lrs * eta * w / (g + wds * w + eps), lrs)


def _multi(single, group, preloaded=False, mp=False):
    """MXNet's multi-weight update: ``data`` interleaves one group of arrays per weight
    (weight, grad[, mom][, weight32]); each group is updated like ``single`` into out[i]."""
    from .ndarray import OP_FUNCS

    def fn(*data, **kwargs):
        out = kwargs.pop('out', None)
        kwargs.pop('name', None)
        n = int(kwargs.pop('num_weights', 1))
        if preloaded:
            lrs, wds = data[-2].asnumpy(), data[-1].asnumpy()
            data = data[:-2]
        else:
            lrs, wds = kwargs.pop('lrs'), kwargs.pop('wds')
        if len(data) != n * group:
            raise ValueError('{}: expected {} arrays for num_weights={}, got {}'.format(
                fn.__name__, n * group, n, len(data)))
        outs = out if isinstance(out, (list, tuple)) else [out] if out is not None else None
        results = []
        for i in range(n):
            arrays = data[i * group:(i + 1) * group]
            res = OP_FUNCS[single](*arrays, lr=float(lrs[i]), wd=float(wds[i]),
                                   out=None if outs is None else outs[i], **kwargs)
            results.append(res)
        return out if out is not None else results
    fn.__name__ = ('preloaded_' if preloaded else '') + 'multi_' + ('mp_' if mp else '') + \
        single.replace('mp_', '')
    fn.__doc__ = ('Update {} weights at once, each as ``{}``; ``data`` interleaves the arrays '
                  'of each weight{}.'.format('several', single, ' and ends with the lrs and wds '
                                             'arrays' if preloaded else ''))
    return fn


MULTI_FUNCTIONS = {}
for _single, _group, _mp in [('sgd_update', 2, False), ('sgd_mom_update', 3, False),
                             ('mp_sgd_update', 3, True), ('mp_sgd_mom_update', 4, True)]:
    for _pre in (False, True):
        _f = _multi(_single, _group, _pre, _mp)
        MULTI_FUNCTIONS[_f.__name__] = _f
