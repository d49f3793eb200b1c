"""Tutorial-shaped end-to-end programs (in the style of the MXNet / d2l
tutorials, written for this suite): an NDArray walkthrough, the seed autograd
tutorial run through the tutorial runner, and small models trained from
scratch with autograd (linear regression, softmax regression, an MLP, a
character-level RNN).

Determinism: every data set and initial weight is drawn with numpy from a
fixed ``numpy.random.RandomState`` and passed in with ``nd.array``, so both
runtimes see the same numbers; no MXNet random draw is compared.  Training
curves are compared within a tolerance (``stat``) because float32 round-off
accumulates differently over many steps.
"""
import importlib.util
import io
import os
import sys

import numpy as np

from harness import raises, stat

AREA = 'tutorials'

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_TUTORIALS = os.path.join(_REPO, 'conformance', 'tutorials')
# training curves: float32 over tens of SGD steps
_CURVE = dict(rtol=1e-3, atol=1e-5)


def _f(x):
    """An NDArray of shape (1,) (or a numpy scalar) as a Python float."""
    return float(x.asscalar()) if hasattr(x, 'asscalar') else float(x)


# --------------------------------------------------------------------------
# an NDArray walkthrough
# --------------------------------------------------------------------------
def case_ndarray_walkthrough_create(mx):
    nd = mx.nd
    x = nd.arange(12)
    out = {'x': x, 'shape': x.shape, 'size': x.size}
    X = x.reshape((3, 4))
    out['X'] = X
    out['X_infer'] = x.reshape((-1, 4)).shape
    out['zeros'] = nd.zeros((2, 3, 4))
    out['ones'] = nd.ones((2, 3))
    out['full'] = nd.full((2, 2), 7)
    out['from_list'] = nd.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    rs = np.random.RandomState(0)
    out['from_numpy'] = nd.array(rs.normal(0, 1, size=(3, 4)))
    out['from_numpy_f64'] = nd.array(rs.normal(0, 1, size=(2,)), dtype='float64')
    out['repr'] = repr(X)
    return out


def case_ndarray_walkthrough_operations(mx):
    nd = mx.nd
    x = nd.array([1, 2, 4, 8])
    y = nd.ones_like(x) * 2
    out = {'elementwise': [x + y, x - y, x * y, x / y, x ** y], 'exp': x.exp(),
           'exp_func': nd.exp(x)}
    X = nd.arange(12).reshape((3, 4))
    Y = nd.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    out['dot'] = nd.dot(X, Y.T)
    out['concat'] = [nd.concat(X, Y, dim=0), nd.concat(X, Y, dim=1)]
    out['equal'] = X == Y
    out['sum'] = X.sum()
    out['norm'] = X.norm().asscalar()
    out['mean_axis'] = X.mean(axis=0)
    out['max_scalar'] = X.max().asscalar()
    return out


def case_ndarray_walkthrough_broadcast_index(mx):
    nd = mx.nd
    a = nd.arange(3).reshape((3, 1))
    b = nd.arange(2).reshape((1, 2))
    out = {'a+b': a + b, 'a*b': a * b}
    X = nd.arange(12).reshape((3, 4))
    rows = X[1:3]
    out['rows_1_3'] = rows.copy()
    out['element'] = X[1, 2].copy()
    X[1, 2] = 9
    out['after_element_write'] = X.copy()
    X[0:2, :] = 12
    out['after_row_write'] = X.copy()
    X[:, 3] = nd.array([-1, -2, -3])
    out['after_column_write'] = X
    out['rows_view_after'] = rows  # X[1:3] is a view: it sees the writes
    return out


def case_ndarray_walkthrough_memory_numpy(mx):
    nd = mx.nd
    X = nd.arange(12).reshape((3, 4))
    Y = nd.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    before = id(Y)
    Y = Y + X
    out = {'plus_rebinds': id(Y) != before}
    Z = Y.zeros_like()
    before = id(Z)
    Z[:] = X + Y
    out['slice_assign_same'] = id(Z) == before
    out['Z'] = Z.copy()
    nd.elemwise_add(X, Y, out=Z)
    out['out_same'] = id(Z) == before
    out['Z_out'] = Z.copy()
    before = id(X)
    X += Y
    out['iadd_same'] = id(X) == before
    out['X'] = X
    A = X.asnumpy()
    B = nd.array(A)
    out['types'] = [type(A).__name__, type(B).__name__]
    out['numpy'] = A
    a = nd.array([3.5])
    # asscalar() is the way out: float()/int() of an NDArray raise TypeError
    out['scalars'] = [a.asscalar(), raises(lambda: float(a)), raises(lambda: int(a))]
    return out


# --------------------------------------------------------------------------
# the seed tutorial, run through the tutorial runner
# --------------------------------------------------------------------------
def _notebook_module():
    """mxnet_compat/notebook.py, loaded by path (it imports nothing from its
    package), so the same runner is used under real MXNet."""
    name = 'conformance_notebook_runner'
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, os.path.join(_REPO, 'mxnet_compat', 'notebook.py'))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def case_seed_autograd_tutorial_runner(mx):
    # conformance/tutorials/autograd_basics.md: the seed's code cells with a
    # fixed input instead of nd.random.uniform(shape=2); every cell's printed
    # output (including the repr of its last expression) must match
    nb = _notebook_module()
    path = os.path.join(_TUTORIALS, 'autograd_basics.md')
    cells = nb.extract_cells(path)
    buf = io.StringIO()
    results = nb.run_file(path, keep_going=True, out=buf)
    return {'cells': len(cells), 'lines': [c.line for c in cells],
            'outputs': [(r.index, r.output, r.error) for r in results],
            'transcript': buf.getvalue()}


# --------------------------------------------------------------------------
# linear regression from scratch
# --------------------------------------------------------------------------
def _synthetic_linear(rs, w, b, n):
    X = rs.normal(0, 1, (n, len(w)))
    y = X.dot(w) + b + rs.normal(0, 0.01, n)
    return X.astype(np.float32), y.astype(np.float32)


def case_linear_regression_scratch(mx):
    nd, autograd = mx.nd, mx.autograd
    rs = np.random.RandomState(42)
    true_w, true_b = np.array([2.0, -3.4]), 4.2
    feats, labs = _synthetic_linear(rs, true_w, true_b, 200)
    features, labels = nd.array(feats), nd.array(labs)

    def data_iter(batch_size):
        order = rs.permutation(len(feats))  # a fixed shuffle per epoch
        for i in range(0, len(order), batch_size):
            j = nd.array(order[i:i + batch_size], dtype='int32')
            yield features[j], labels[j]

    def linreg(X, w, b):
        return nd.dot(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        for param in params:
            param[:] = param - lr * param.grad / batch_size

    w = nd.array(rs.normal(0, 0.01, (2, 1)))
    b = nd.zeros(shape=(1,))
    for param in (w, b):
        param.attach_grad()
    lr, num_epochs, batch_size = 0.03, 5, 10
    losses = []
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size):
            with autograd.record():
                l = squared_loss(linreg(X, w, b), y)
            l.backward()
            sgd([w, b], lr, batch_size)
        losses.append(_f(squared_loss(linreg(features, w, b), labels).mean()))
    return {'losses': stat(losses, **_CURVE), 'w': stat(w, **_CURVE),
            'b': stat(b, **_CURVE), 'w_shape': w.shape,
            'w_err': stat((nd.array(true_w.reshape(2, 1)) - w).abs().max(), atol=1e-3)}


# --------------------------------------------------------------------------
# softmax regression and an MLP from scratch
# --------------------------------------------------------------------------
def _blobs(rs, n_per_class, n_classes, n_features, spread=1.0):
    centers = rs.normal(0, 2.5, (n_classes, n_features))
    y = np.repeat(np.arange(n_classes), n_per_class)
    X = centers[y] + rs.normal(0, spread, (len(y), n_features))
    order = rs.permutation(len(y))
    return X[order].astype(np.float32), y[order]


def _softmax(nd, X):
    X_exp = (X - X.max(axis=1, keepdims=True)).exp()
    partition = X_exp.sum(axis=1, keepdims=True)
    return X_exp / partition


def _cross_entropy(nd, y_hat, y_onehot):
    # -log of the probability of the true class, picked with a one-hot mask
    return -nd.log((y_hat * y_onehot).sum(axis=1))


def _accuracy(y_hat, y):
    return _f((y_hat.argmax(axis=1) == y).mean())


def _train_classifier(mx, net, params, X_np, y_np, num_classes, lr, num_epochs,
                      batch_size):
    nd, autograd = mx.nd, mx.autograd
    y_onehot_np = np.eye(num_classes, dtype=np.float32)[y_np]
    X_all, y_all = nd.array(X_np), nd.array(y_np)
    for p in params:
        p.attach_grad()
    losses, accs = [], []
    n = len(y_np)
    for epoch in range(num_epochs):
        total = 0.0
        for i in range(0, n, batch_size):
            X = nd.array(X_np[i:i + batch_size])
            Y = nd.array(y_onehot_np[i:i + batch_size])
            with autograd.record():
                l = _cross_entropy(nd, net(X), Y)
            l.backward()
            for p in params:
                p[:] = p - lr * p.grad / X.shape[0]
            total += _f(l.sum())
        losses.append(total / n)
        accs.append(_accuracy(net(X_all), y_all))
    return losses, accs


def case_softmax_regression_scratch(mx):
    nd = mx.nd
    rs = np.random.RandomState(7)
    num_inputs, num_outputs = 4, 3
    X_np, y_np = _blobs(rs, 40, num_outputs, num_inputs, spread=1.5)
    W = nd.array(rs.normal(0, 0.01, (num_inputs, num_outputs)))
    b = nd.zeros(num_outputs)

    def net(X):
        return _softmax(nd, nd.dot(X.reshape((-1, num_inputs)), W) + b)

    losses, accs = _train_classifier(mx, net, [W, b], X_np, y_np, num_outputs,
                                     lr=0.2, num_epochs=5, batch_size=24)
    probs = net(nd.array(X_np[:4]))
    return {'losses': stat(losses, **_CURVE), 'accuracy': stat(accs, atol=1e-6),
            'W': stat(W, **_CURVE), 'b': stat(b, **_CURVE),
            'probs': stat(probs, **_CURVE), 'rows_sum_to_1': stat(probs.sum(axis=1), atol=1e-5)}


def case_mlp_scratch(mx):
    nd = mx.nd
    rs = np.random.RandomState(3)
    # four Gaussian blobs in the plane, labelled XOR-wise: not linearly separable
    centers = np.array([[-2, -2], [2, 2], [-2, 2], [2, -2]], dtype=np.float64)
    cls = np.repeat(np.arange(4), 30)
    X_np = (centers[cls] + rs.normal(0, 0.7, (len(cls), 2))).astype(np.float32)
    y_np = (cls >= 2).astype(np.int64)
    order = rs.permutation(len(cls))
    X_np, y_np = X_np[order], y_np[order]
    num_inputs, num_hiddens, num_outputs = 2, 16, 2
    W1 = nd.array(rs.normal(0, 0.5, (num_inputs, num_hiddens)))
    b1 = nd.zeros(num_hiddens)
    W2 = nd.array(rs.normal(0, 0.5, (num_hiddens, num_outputs)))
    b2 = nd.zeros(num_outputs)
    params = [W1, b1, W2, b2]

    def relu(X):
        return nd.maximum(X, 0)

    def net(X):
        H = relu(nd.dot(X, W1) + b1)
        return _softmax(nd, nd.dot(H, W2) + b2)

    losses, accs = _train_classifier(mx, net, params, X_np, y_np, num_outputs,
                                     lr=0.5, num_epochs=5, batch_size=30)
    grad_norms = [_f(p.grad.norm()) for p in params]
    return {'losses': stat(losses, **_CURVE), 'accuracy': stat(accs, atol=1e-6),
            'last_grad_norms': stat(grad_norms, **_CURVE),
            'hidden_relu_builtin_matches': bool(np.allclose(
                nd.relu(nd.dot(nd.array(X_np), W1) + b1).asnumpy(),
                relu(nd.dot(nd.array(X_np), W1) + b1).asnumpy()))}


def case_softmax_regression_builtin_ops(mx):
    # the same model written with MXNet's built-in operators, as the d2l
    # "concise" chapters do: nd.softmax / nd.log_softmax / nd.pick / nd.one_hot
    nd, autograd = mx.nd, mx.autograd
    rs = np.random.RandomState(7)
    X_np, y_np = _blobs(rs, 40, 3, 4, spread=1.5)
    W = nd.array(rs.normal(0, 0.01, (4, 3)))
    b = nd.zeros(3)
    W.attach_grad()
    b.attach_grad()
    X_all, y_all = nd.array(X_np), nd.array(y_np)
    losses = []
    for epoch in range(3):
        for i in range(0, len(y_np), 12):
            X, y = X_all[i:i + 12], y_all[i:i + 12]
            with autograd.record():
                logp = nd.log_softmax(nd.dot(X, W) + b)
                l = -nd.pick(logp, y)
            l.backward()
            W[:] = W - 0.1 * W.grad / 12
            b[:] = b - 0.1 * b.grad / 12
        losses.append(_f(-nd.pick(nd.log_softmax(nd.dot(X_all, W) + b), y_all).mean()))
    p = nd.softmax(nd.dot(X_all, W) + b)
    onehot = nd.one_hot(y_all, 3)
    return {'losses': stat(losses, **_CURVE),
            'accuracy': stat(_accuracy(p, y_all), atol=1e-6),
            'xent_via_one_hot': stat(-(onehot * nd.log(p)).sum(axis=1).mean(), **_CURVE)}


# --------------------------------------------------------------------------
# a character-level RNN from scratch
# --------------------------------------------------------------------------
_TEXT = ('a cat sat on a mat and a dog lay on a log while the sun set slowly '
         'over the quiet hills and the river ran on to the sea ')


def _char_rnn_setup(mx, num_hiddens=8, scale=0.3):
    nd = mx.nd
    vocab = sorted(set(_TEXT))
    idx = np.array([vocab.index(c) for c in _TEXT])
    rs = np.random.RandomState(11)
    V, H = len(vocab), num_hiddens

    def normal(shape):
        return nd.array(rs.normal(0, scale, shape))
    params = [normal((V, H)), normal((H, H)), nd.zeros(H), normal((H, V)), nd.zeros(V)]
    for p in params:
        p.attach_grad()
    return vocab, idx, params


def _one_hot(nd, tokens, V):
    # one-hot rows with a broadcast comparison (no nd.one_hot needed)
    return nd.broadcast_equal(tokens.reshape((-1, 1)), nd.arange(V).reshape((1, V)))


def _rnn(nd, inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H = state
    outputs = []
    for X in inputs:
        H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
        outputs.append(nd.dot(H, W_hq) + b_q)
    return outputs, H


def _seq_loss(nd, outputs, Y_np, V):
    # mean cross-entropy of (time-major) outputs against labels Y (batch, T)
    Z = nd.concat(*outputs, dim=0)
    Z = Z - Z.max(axis=1, keepdims=True)
    logp = Z - nd.log(Z.exp().sum(axis=1, keepdims=True))
    y = nd.array(Y_np.T.reshape(-1))
    return -(logp * _one_hot(nd, y, V)).sum(axis=1).mean()


def _grad_clipping(nd, params, theta):
    norm = float(np.sqrt(sum(_f((p.grad ** 2).sum()) for p in params)))
    if norm > theta:
        for p in params:
            p.grad[:] *= theta / norm
    return norm


def case_char_rnn_forward_backward(mx):
    # one forward/backward pass of a tanh RNN over 5 steps: outputs, final
    # state and the gradient of every parameter
    nd, autograd = mx.nd, mx.autograd
    vocab, idx, params = _char_rnn_setup(mx)
    V, batch_size, num_steps = len(vocab), 2, 5
    X_np = np.stack([idx[0:num_steps], idx[20:20 + num_steps]])
    Y_np = np.stack([idx[1:num_steps + 1], idx[21:21 + num_steps]])
    inputs = [_one_hot(nd, nd.array(X_np[:, t]), V) for t in range(num_steps)]
    state = nd.zeros((batch_size, 8))
    with autograd.record():
        outputs, state = _rnn(nd, inputs, state, params)
        l = _seq_loss(nd, outputs, Y_np, V)
    l.backward()
    return {'vocab_size': V, 'loss': stat(_f(l), **_CURVE),
            'outputs': stat([outputs[0], outputs[-1]], **_CURVE),
            'state': stat(state, **_CURVE),
            'grads': stat([p.grad for p in params], rtol=1e-3, atol=1e-6)}


def case_char_rnn_truncated_bptt(mx):
    # sequential minibatches; the state is carried over and detached between
    # them (truncated back-propagation through time), gradients are clipped
    # to a global norm of theta, then plain SGD
    nd, autograd = mx.nd, mx.autograd
    vocab, idx, params = _char_rnn_setup(mx)
    V, batch_size, num_steps, lr, theta = len(vocab), 2, 5, 1.0, 0.68
    n = len(idx) - 1
    per_row = n // batch_size
    Xs = idx[:per_row * batch_size].reshape(batch_size, per_row)
    Ys = idx[1:per_row * batch_size + 1].reshape(batch_size, per_row)
    state = nd.zeros((batch_size, 8))
    losses, norms, clipped = [], [], []
    for i in range(0, 6 * num_steps, num_steps):  # 6 minibatches
        X_np, Y_np = Xs[:, i:i + num_steps], Ys[:, i:i + num_steps]
        state = state.detach()
        inputs = [_one_hot(nd, nd.array(X_np[:, t]), V) for t in range(num_steps)]
        with autograd.record():
            outputs, state = _rnn(nd, inputs, state, params)
            l = _seq_loss(nd, outputs, Y_np, V)
        l.backward()
        norm = _grad_clipping(nd, params, theta)
        for p in params:
            p[:] = p - lr * p.grad
        losses.append(_f(l))
        norms.append(norm)
        clipped.append(norm > theta)
    perplexity = float(np.exp(np.mean(losses[-(len(losses) // 2):])))
    return {'steps': len(losses), 'losses': stat(losses, rtol=2e-3, atol=1e-5),
            'grad_norms': stat(norms, rtol=2e-3, atol=1e-5),
            'clipped_steps': sum(clipped), 'perplexity': stat(perplexity, rtol=2e-3)}


def case_char_rnn_builtin_ops(mx):
    # the d2l way: nd.one_hot for the inputs, nd.softmax-based loss with
    # nd.pick, gradient clipping with nd.clip of the global norm factor
    nd, autograd = mx.nd, mx.autograd
    vocab, idx, params = _char_rnn_setup(mx)
    V, num_steps = len(vocab), 5
    X = nd.array(np.stack([idx[0:num_steps], idx[10:10 + num_steps]]))
    Y = nd.array(np.stack([idx[1:num_steps + 1], idx[11:11 + num_steps]]))
    inputs = nd.one_hot(X.T, V)
    with autograd.record():
        outputs, state = _rnn(nd, [inputs[t] for t in range(num_steps)],
                              nd.zeros((2, 8)), params)
        logits = nd.concat(*outputs, dim=0)
        l = -nd.pick(nd.log_softmax(logits), Y.T.reshape((-1,))).mean()
    l.backward()
    total = nd.add_n(*[(p.grad ** 2).sum() for p in params]).sqrt()
    factor = nd.clip(0.5 / total, 0, 1)
    return {'loss': stat(_f(l), **_CURVE), 'grad_norm': stat(_f(total), **_CURVE),
            'factor': stat(_f(factor), **_CURVE)}
