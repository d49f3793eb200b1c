"""mx.Context: construction, printing, equality, the default-context stack,
moving arrays between contexts, and GPU requests (the reference has no GPU)."""
from harness import raises

AREA = 'contexts'


def case_cpu_repr_and_fields(mx):
    c = mx.cpu()
    c1 = mx.cpu(1)
    return {'repr': repr(c), 'str': str(c), 'repr1': repr(c1),
            'device_type': c.device_type, 'device_id': c.device_id,
            'device_typeid': c.device_typeid, 'type': type(c).__name__}


def case_gpu_object_without_gpu(mx):
    # creating the Context object is fine even without a GPU
    g = mx.gpu()
    return {'repr': repr(g), 'str1': str(mx.gpu(1)), 'device_type': g.device_type,
            'device_typeid': g.device_typeid, 'eq': mx.gpu(0) == mx.gpu(0),
            'cpu_pinned': repr(mx.cpu_pinned())}


def case_context_constructor(mx):
    return [repr(mx.Context('cpu', 2)), repr(mx.Context(mx.cpu(3))),
            repr(mx.Context('gpu')), mx.Context('cpu', 1) == mx.cpu(1),
            repr(mx.context.Context('cpu'))]


def case_equality_and_hash(mx):
    return {'cpu_eq_cpu0': mx.cpu() == mx.cpu(0), 'cpu0_eq_cpu1': mx.cpu(0) == mx.cpu(1),
            'ne': mx.cpu(0) != mx.cpu(1), 'cpu_eq_gpu': mx.cpu() == mx.gpu(),
            'eq_string': mx.cpu(0) == 'cpu(0)',
            'hash_equal': hash(mx.cpu()) == hash(mx.cpu(0)),
            'dict_lookup': {mx.cpu(0): 'found'}[mx.cpu()]}


def case_current_context_default(mx):
    return [repr(mx.context.current_context()), repr(mx.current_context()),
            repr(mx.Context.default_ctx)]


def case_with_block_sets_default(mx):
    out = []
    with mx.cpu(1):
        out.append(repr(mx.current_context()))
        out.append(str(mx.nd.zeros(1).context))
        with mx.cpu(2):
            out.append(repr(mx.context.current_context()))
        out.append(repr(mx.current_context()))
    out.append(repr(mx.current_context()))
    with mx.Context('cpu', 3):
        out.append(str(mx.nd.ones(1).context))
    return out


def case_with_block_restored_after_exception(mx):
    try:
        with mx.cpu(2):
            raise KeyError('boom')
    except KeyError:
        pass
    return repr(mx.current_context())


def case_ctx_argument_forms(mx):
    nd = mx.nd
    return {'object': str(nd.zeros(2, ctx=mx.cpu(1)).context),
            'string': str(nd.zeros(2, ctx='cpu(1)').context),
            'bare_string': raises(lambda: nd.zeros(2, ctx='cpu'))}


def case_as_in_context_and_copyto(mx):
    nd = mx.nd
    x = nd.array([1.0, 2.0])
    y = x.as_in_context(mx.cpu(1))
    z = x.copyto(mx.cpu(2))
    back = y.as_in_context(mx.cpu(0))
    return {'y': y, 'z': z, 'back': back, 'x': x}


def case_mixed_context_ops(mx):
    # mixing cpu(0) and cpu(1) works; the result lives on the first operand's context
    nd = mx.nd
    a = nd.ones(2, ctx=mx.cpu(0))
    b = nd.ones(2, ctx=mx.cpu(1))
    return {'a+b': a + b, 'b+a': b + a, 'dot(b,a)': nd.dot(b, a),
            'elemwise_add(b,a)': nd.elemwise_add(b, a),
            'copyto': b.copyto(a)}


def case_ops_keep_input_context_inside_with(mx):
    # inside `with cpu(1)`, ops on cpu(0) arrays still produce cpu(0) results
    nd = mx.nd
    a = nd.ones(2)
    with mx.cpu(1):
        return [a + a, nd.exp(a), a.copy(), a[0:1], a.sum(), nd.zeros_like(a)]


def case_derived_arrays_context(mx):
    nd = mx.nd
    b = nd.ones(2, ctx=mx.cpu(1))
    b.attach_grad()
    return [str(b[0].context), str(b.copy().context), str(b.reshape((1, 2)).context),
            str(b.grad.context), str(nd.random.uniform(shape=2, ctx=mx.cpu(1)).context),
            str(b.astype('int32').context)]


def case_num_gpus(mx):
    return {'num_gpus': mx.context.num_gpus(), 'type': type(mx.context.num_gpus()).__name__,
            'list_gpus': list(mx.test_utils.list_gpus())}


def case_gpu_array_creation_errors(mx):
    # the reference has no GPU: every way of putting data on gpu(0) raises MXNetError
    nd = mx.nd
    x = nd.ones(2)
    return {'zeros': raises(lambda: nd.zeros(2, ctx=mx.gpu(0))),
            'array': raises(lambda: nd.array([1, 2], ctx=mx.gpu(0))),
            'as_in_context': raises(lambda: x.as_in_context(mx.gpu(0))),
            'copyto': raises(lambda: x.copyto(mx.gpu(0))), 'x': x}
