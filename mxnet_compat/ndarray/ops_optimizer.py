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
                    family='optimizer', **kw)


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
