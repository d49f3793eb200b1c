"""In-place operators and the out= argument of nd functions."""
from harness import raises

AREA = 'inplace'


def _base(mx):
    return mx.nd.arange(6).reshape((2, 3))


def case_iadd_keeps_identity(mx):
    x = _base(mx)
    alias = x
    ident = id(x)
    x += 1
    return {'same_object': id(x) == ident, 'alias': alias}


def case_plus_rebinds(mx):
    x = _base(mx)
    alias = x
    x = x + 1
    return {'alias': alias, 'x': x}


def case_all_inplace_scalar_ops(mx):
    nd = mx.nd
    out = {}
    for name in ('add', 'sub', 'mul', 'div', 'mod', 'pow'):
        x = nd.array([1.0, 2.0, 5.0])
        if name == 'add':
            x += 2
        elif name == 'sub':
            x -= 2
        elif name == 'mul':
            x *= 2
        elif name == 'div':
            x /= 2
        elif name == 'mod':
            x %= 2
        else:
            x **= 2
        out[name] = x
    return out


def case_inplace_with_arrays(mx):
    nd = mx.nd
    a = nd.array([1.0, 2.0, 3.0])
    b = nd.array([4.0, 5.0, 6.0])
    a += b
    a -= nd.ones(3)
    a *= b
    a /= nd.array([2.0, 2.0, 4.0])
    return {'a': a, 'b': b}


def case_inplace_broadcasts(mx):
    # x += row broadcasts like x + row
    nd = mx.nd
    x = _base(mx)
    x += nd.array([10, 20, 30])
    y = _base(mx)
    y *= nd.array([[2], [3]])
    return {'x': x, 'y': y}


def case_inplace_shape_error_unchanged(mx):
    nd = mx.nd
    x = _base(mx)

    def bad():
        x.__iadd__(nd.ones((3, 2)))
    return {'error': raises(bad), 'x': x}


def case_inplace_on_view(mx):
    x = _base(mx)
    row = x[1]
    row += 100
    part = x[0, 1:]
    part *= -1
    return {'x': x, 'row': row, 'part': part}


def case_inplace_on_copy(mx):
    # x[:, 1] is a copy: in-place ops on it leave x alone
    x = _base(mx)
    col = x[:, 1]
    col -= 5
    return {'x': x, 'col': col}


def case_inplace_on_base_seen_by_view(mx):
    x = _base(mx)
    row = x[0]
    flat = x.reshape((-1,))
    x /= 2
    return {'row': row, 'flat': flat}


def case_inplace_int_dtype(mx):
    # int arrays stay int; the scalar is first cast to int (x *= 1.5 is x *= 1)
    nd = mx.nd
    out = {}
    a = nd.arange(6, dtype='int32')
    a /= 2
    out['div'] = a
    b = nd.arange(6, dtype='int32')
    b *= 1.5
    out['mul_float'] = b
    c = nd.arange(6, dtype='int32')
    c += 0.7
    out['add_float'] = c
    return out


def case_inplace_self(mx):
    x = mx.nd.arange(3)
    x += x
    y = mx.nd.arange(3)
    y *= y
    return [x, y]


def case_out_unary(mx):
    nd = mx.nd
    x = nd.arange(3)
    y = nd.zeros(3)
    r = nd.exp(x, out=y)
    return {'y': y, 'returns_out': r is y, 'x': x}


def case_out_binary(mx):
    nd = mx.nd
    a = nd.ones(3)
    b = nd.ones(3) * 2
    c = nd.zeros(3)
    r = nd.elemwise_add(a, b, out=c)
    d = nd.zeros((2, 3))
    nd.broadcast_add(nd.ones((2, 3)), nd.array([1, 2, 3]), out=d)
    e = nd.zeros((2, 2))
    nd.dot(nd.ones((2, 3)), nd.ones((3, 2)), out=e)
    return {'c': c, 'returns_out': r is c, 'd': d, 'e': e}


def case_out_reduction(mx):
    nd = mx.nd
    s = nd.zeros(2)
    nd.sum(nd.ones((2, 3)), axis=1, out=s)
    return s


def case_out_is_input(mx):
    nd = mx.nd
    x = nd.arange(3)
    nd.relu(x - 1, out=x)
    y = nd.array([1.0, 4.0])
    nd.sqrt(y, out=y)
    return [x, y]


def case_out_is_view(mx):
    # writing into a view through out= updates the base
    nd = mx.nd
    x = _base(mx)
    nd.exp(x[0], out=x[1])
    return x


def case_out_wrong_shape_or_dtype(mx):
    nd = mx.nd
    c = nd.zeros((2, 3))
    i = nd.zeros(3, dtype='int32')
    return {'shape': raises(lambda: nd.exp(nd.ones(3), out=c)), 'c': c,
            'dtype': raises(lambda: nd.exp(nd.ones(3), out=i)), 'i': i}


def case_method_out(mx):
    nd = mx.nd
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    o = nd.zeros((2, 2))
    nd.square(x, out=o)
    t = nd.zeros((2, 2))
    nd.transpose(x, out=t)
    return [o, t]
