"""``gluon.Trainer``: applies an optimizer to a set of Parameters."""
import contextlib
import os

from .. import optimizer as opt
from ..ndarray.ndarray import _place, _wrap
from ..ndarray.registry import fused_updates
from .parameter import Parameter, ParameterDict

__all__ = ['Trainer']


class Trainer:
    """Updates ``params`` with ``optimizer`` (a name plus ``optimizer_params``, or an
    Optimizer instance).  A dict of Parameters is taken in sorted-name order, as in MXNet
    (the order gives each Parameter its optimizer index).

    ``step(batch_size)`` = ``allreduce_grads()`` + ``update(batch_size)``: gradients are
    scaled by ``1/batch_size`` (through the optimizer's ``rescale_grad``).  A string kvstore
    only exists with several contexts (as in MXNet, one context never gets one); then the
    gradients are summed across contexts, and by default (``update_on_kvstore``, or the
    ``MXNET_UPDATE_ON_KVSTORE`` variable) the optimizer runs once on the sum and the result is
    copied to every context, which rules out calling ``allreduce_grads``/``update`` directly.
    There is no distributed kvstore."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore='device',
                 compression_params=None, update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            params = [params[key] for key in sorted(params.keys())]
        if not isinstance(params, (list, tuple)):
            raise ValueError('First argument must be a list or dict of Parameters, got %s.'
                             % type(params))
        self._params = []
        self._param2idx = {}
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise ValueError('First argument must be a list or dict of Parameters, got list '
                                 'of %s.' % type(param))
            self._param2idx[param.name] = i
            self._params.append(param)
            param._set_trainer(self)
        if compression_params:
            raise NotImplementedError('gradient compression is not supported by mxnet-compat')
        if isinstance(kvstore, str) and kvstore.startswith('dist'):
            raise NotImplementedError('distributed kvstore ({}) is not supported by '
                                      'mxnet-compat'.format(kvstore))
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, optimizer_params or {})
        self._scale = self._optimizer.rescale_grad
        self._kvstore_params = {'kvstore': kvstore, 'update_on_kvstore': update_on_kvstore}
        self._reset_kvstore()

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            ctx = param.list_ctx()
            if contexts is not None and contexts != ctx:
                raise AssertionError(
                    'All Parameters must be initialized on the same set of contexts, but '
                    'Parameter %s is initialized on %s while previous Parameters are initialized '
                    'on %s.' % (param.name, ctx, contexts))
            contexts = ctx
        return contexts

    def _init_optimizer(self, optimizer, optimizer_params):
        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise AssertionError('optimizer_params must be None if optimizer is an instance '
                                     'of Optimizer instead of str')
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        self._updaters = [opt.get_updater(self._optimizer) for _ in (self._contexts or [None])]

    # -- kvstore (resolved at the first step, as in MXNet) -----------------------------------
    def _reset_kvstore(self):
        self._kv_initialized = False
        self._kvstore = None
        self._update_on_kvstore = None
        self._params_to_init = list(self._params)

    def _init_kvstore(self):
        """Decide whether there is a (local) kvstore and whether it runs the optimizer."""
        # reading every weight raises for one still waiting for deferred initialisation
        sizes = [p.data(self._contexts[0]).size for p in self._params]
        kvstore = self._kvstore_params['kvstore']
        if kvstore is not None and not isinstance(kvstore, str):
            raise TypeError('kvstore must be KVStore, str or None')
        if kvstore is not None and len(self._contexts or ()) > 1:
            on_kvstore = bool(int(os.getenv('MXNET_UPDATE_ON_KVSTORE', '1')))
            if kvstore == 'local' and max(sizes) > 1024 * 1024 * 16:
                on_kvstore = False
            if self._kvstore_params['update_on_kvstore'] is not None:
                on_kvstore = bool(self._kvstore_params['update_on_kvstore'])
            self._kvstore, self._update_on_kvstore = kvstore, on_kvstore
        self._kv_initialized = True

    def _init_params(self):
        """With a kvstore, every context starts from the first context's weights (MXNet's
        broadcast); parameters still waiting for deferred initialisation wait longer."""
        waiting = []
        for param in self._params_to_init:
            if param._deferred_init:
                waiting.append(param)
            elif self._kvstore:
                datas = param.list_data()
                for data in datas[1:]:
                    data._set_value(_place(datas[0]._value, data.context))
        self._params_to_init = waiting

    def _prepare(self):
        if not self._kv_initialized:
            self._init_kvstore()
        if self._params_to_init:
            self._init_params()

    def _check_not_on_kvstore(self, method):
        if self._kvstore and self._update_on_kvstore:
            raise AssertionError('{}() when parameters are updated on kvstore is not supported. '
                                 'Try setting `update_on_kvstore` to False when creating '
                                 'trainer.'.format(method))

    # -- learning rate ---------------------------------------------------------------------
    @property
    def learning_rate(self):
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        return self._optimizer

    def set_learning_rate(self, lr):
        """Set the learning rate (an error when a scheduler drives it)."""
        self._optimizer.set_learning_rate(lr)

    # -- steps -----------------------------------------------------------------------------
    def step(self, batch_size, ignore_stale_grad=False):
        """One update: reduce gradients across contexts, then apply the optimizer with
        gradients scaled by ``1/batch_size``.  Call after backward, outside ``record()``."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._prepare()
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sum each parameter's gradients across its contexts (no-op for one context)."""
        self._prepare()
        self._check_not_on_kvstore('allreduce_grads')
        self._allreduce_grads()

    def _allreduce_grads(self):
        if not self._kvstore:
            return
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            grads = param.list_grad()
            total = grads[0]._value
            for g in grads[1:]:
                total = total + _place(g._value, grads[0].context)
            if self._update_on_kvstore:
                self._update_on_first_context(i, param, total)
                continue
            fresh = param._fresh_grads()
            for g in grads:
                g._set_value(_place(total, g.context))
            param._restore_freshness(fresh)

    def _update_on_first_context(self, index, param, total):
        """What the kvstore does: the optimizer on the summed gradient, the new weight copied
        to every context (the gradients are left as they are)."""
        datas = param.list_data()
        self._updaters[0](index, _wrap(_place(total, datas[0].context), datas[0].context), datas[0])
        for data in datas[1:]:
            data._set_value(_place(datas[0]._value, data.context))

    def update(self, batch_size, ignore_stale_grad=False):
        """The optimizer step alone (after a manual ``allreduce_grads``)."""
        self._prepare()
        self._check_not_on_kvstore('update')
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _update(self, ignore_stale_grad=False):
        """Check for stale gradients, then update (unless the kvstore already did: it
        updates every weight and keeps the gradients fresh, as in MXNet)."""
        on_kvstore = self._kvstore and self._update_on_kvstore
        updates = [[] for _ in self._updaters]
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            datas = param.list_data()          # raises for an uninitialised parameter
            fresh = param._fresh_grads()
            if not ignore_stale_grad:
                for ok, data in zip(fresh, datas):
                    if not ok:
                        raise UserWarning(
                            'Gradient of Parameter `%s` on context %s has not been updated by '
                            'backward since last `step`. This could mean a bug in your model '
                            'that made it only use a subset of the Parameters (Blocks) for this '
                            'iteration. If you are intentionally only using a subset, call step '
                            'with ignore_stale_grad=True to suppress this warning and skip '
                            'updating of Parameters with stale gradient'
                            % (param.name, data.context))
            if on_kvstore:
                continue
            for upd, arr, grad, ok in zip(updates, datas, param.list_grad(), fresh):
                if ok:
                    upd.append((i, grad, arr))
            param._mark_grads_seen()
        # One compiled update for all the weights: only for this package's optimizers, whose
        # updates are update operators alone (a user's update may read or assign arrays
        # between operator calls, which a queue of deferred updates would reorder).
        builtin = type(self._optimizer).__module__.startswith(opt.__name__ + '.')
        with fused_updates() if builtin else contextlib.nullcontext():
            for updater, upd in zip(self._updaters, updates):
                if upd:
                    indices, grads, weights = zip(*upd)
                    updater(list(indices), list(grads), list(weights))

    def save_states(self, fname):
        """Save the optimizer states (momentum...) to a file."""
        self._prepare()
        with open(fname, 'wb') as f:
            f.write(self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Load states saved by :meth:`save_states`."""
        self._prepare()
        with open(fname, 'rb') as f:
            states = f.read()
        for updater in self._updaters:
            updater.set_states(states)
            updater.optimizer = self._updaters[0].optimizer
        self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))

    def __repr__(self):
        return 'Trainer({}, {} parameters)'.format(type(self._optimizer).__name__,
                                                   len(self._params))
