"""``gluon.Trainer``: applies an optimizer to a set of Parameters."""
from .. import optimizer as opt
from ..ndarray.ndarray import _place
from .parameter import Parameter, ParameterDict

__all__ = ['Trainer']


class Trainer:
    """Updates ``params`` with ``optimizer`` (a name plus ``optimizer_params``, or an
    Optimizer instance).

    ``step(batch_size)`` = ``allreduce_grads()`` + ``update(batch_size)``: gradients are
    scaled by ``1/batch_size`` (through the optimizer's ``rescale_grad``).  With several
    contexts the gradients are summed across them first (MXNet's 'device' kvstore); with one
    context, or ``kvstore=None``, there is nothing to reduce.  There is no distributed
    kvstore."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore='device',
                 compression_params=None, update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            params = list(params.values())
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
        self._kvstore = kvstore
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, optimizer_params or {})
        self._scale = self._optimizer.rescale_grad

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

    @property
    def learning_rate(self):
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        return self._optimizer

    def set_learning_rate(self, lr):
        """Set the learning rate (an error when a scheduler drives it)."""
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size, ignore_stale_grad=False):
        """One update: reduce gradients across contexts, then apply the optimizer with
        gradients scaled by ``1/batch_size``.  Call after backward, outside ``record()``."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sum each parameter's gradients across its contexts (no-op for one context)."""
        self._allreduce_grads()

    def _allreduce_grads(self):
        if self._kvstore is None or not self._contexts or len(self._contexts) < 2:
            return
        for param in self._params:
            if param.grad_req == 'null':
                continue
            grads = param.list_grad()
            fresh = param._fresh_grads()
            total = grads[0]._value
            for g in grads[1:]:
                total = total + _place(g._value, grads[0].context)
            for g in grads:
                g._set_value(_place(total, g.context))
            param._restore_freshness(fresh)

    def update(self, batch_size, ignore_stale_grad=False):
        """The optimizer step alone (after a manual ``allreduce_grads``)."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _update(self, ignore_stale_grad=False):
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
            for upd, arr, grad, ok in zip(updates, datas, param.list_grad(), fresh):
                if ok:
                    upd.append((i, grad, arr))
            param._mark_grads_seen()
        for updater, upd in zip(self._updaters, updates):
            if upd:
                indices, grads, weights = zip(*upd)
                updater(list(indices), list(grads), list(weights))

    def save_states(self, fname):
        """Save the optimizer states (momentum...) to a file."""
        with open(fname, 'wb') as f:
            f.write(self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Load states saved by :meth:`save_states`."""
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
