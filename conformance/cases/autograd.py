"""mx.autograd: scopes and flags, backward, head gradients, grad_req,
autograd.grad, custom Functions, and the autograd tutorial (the seed)."""
import numpy as np

from harness import raises, stat

AREA = 'autograd'


def case_scope_flags(mx):
    ag = mx.autograd
    out = {'initial': (ag.is_recording(), ag.is_training())}
    with ag.record():
        out['record'] = (ag.is_recording(), ag.is_training())
        with ag.pause():
            out['record_pause'] = (ag.is_recording(), ag.is_training())
        with ag.pause(train_mode=True):
            out['record_pause_train'] = (ag.is_recording(), ag.is_training())
        with ag.predict_mode():
            out['record_predict'] = (ag.is_recording(), ag.is_training())
            with ag.train_mode():
                out['record_predict_train'] = (ag.is_recording(), ag.is_training())
        out['record_after'] = (ag.is_recording(), ag.is_training())
    with ag.record(train_mode=False):
        out['record_no_train'] = (ag.is_recording(), ag.is_training())
    with ag.train_mode():
        out['train_mode'] = (ag.is_recording(), ag.is_training())
    with ag.pause():
        out['pause'] = (ag.is_recording(), ag.is_training())
    out['final'] = (ag.is_recording(), ag.is_training())
    return out


def case_set_recording_training_return_previous(mx):
    ag = mx.autograd
    seq = [ag.set_recording(True), ag.set_recording(True), ag.set_recording(False),
           ag.set_training(True), ag.set_training(False), ag.set_training(False)]
    return {'returns': seq, 'final': (ag.is_recording(), ag.is_training())}


def case_seed_basic_gradient(mx):
    # the tutorial: y = 2 * x**2, dy/dx = 4x
    nd, autograd = mx.nd, mx.autograd
    x = nd.array([[1, 2], [3, 4]])
    x.attach_grad()
    with autograd.record():
        y = 2 * x ** 2
    r = y.backward()
    return {'x.grad': x.grad, 'y': y, 'backward_returns': r}


def _seed_f(a):
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    if b.sum().asscalar() >= 0:
        c = b[0]
    else:
        c = b[1]
    return c


def _seed_control_flow(mx, values):
    nd, autograd = mx.nd, mx.autograd
    a = nd.array(values)
    a.attach_grad()
    with autograd.record():
        c = _seed_f(a)
    c.backward()
    return {'c': c, 'a.grad': a.grad, 'c/a': c / a}


def case_seed_control_flow_first_branch(mx):
    return _seed_control_flow(mx, [0.3, 0.7])


def case_seed_control_flow_second_branch(mx):
    return _seed_control_flow(mx, [-0.3, 0.2])


def case_seed_control_flow_random_input(mx):
    # the tutorial's own input: nd.random.uniform(shape=2); check the relation
    # between gradient and c/a rather than the random values
    nd, autograd = mx.nd, mx.autograd
    a = nd.random.uniform(shape=2)
    a.attach_grad()
    with autograd.record():
        c = _seed_f(a)
    c.backward()
    ratio = (c / a).asnumpy()
    g = a.grad.asnumpy()
    picked = int(np.argmax(g != 0))
    return {'shapes': (a.shape, c.shape, a.grad.shape),
            'one_nonzero': int((g != 0).sum()),
            'grad_matches_c_over_a': bool(np.allclose(g[picked], ratio[picked], rtol=1e-5))}


def case_head_gradient(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with ag.record():
        y = x * x * 2
    y.backward(nd.array([1.0, 0.0, 2.0]))
    g1 = x.grad.copy()
    with ag.record():
        y = x * x
    y.backward(out_grad=nd.array([2.0, 3.0, 0.5]))
    return [g1, x.grad]


def case_backward_multiple_heads(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with ag.record():
        y1 = x * 2
        y2 = x * x
    ag.backward([y1, y2], [nd.ones(3), nd.array([1.0, 1.0, 0.0])])
    g1 = x.grad.copy()
    with ag.record():
        y1 = x * 2
        y2 = x * x
    ag.backward([y1, y2])
    return [g1, x.grad]


def case_grad_req_write_overwrites(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    for k in range(2):
        with ag.record():
            y = x * (k + 1)
        y.backward()
    return x.grad


def case_grad_req_add_accumulates(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad(grad_req='add')
    start = x.grad.copy()
    for _ in range(3):
        with ag.record():
            y = x * x
        y.backward()
    return {'start': start, 'after3': x.grad}


def case_grad_req_null(mx):
    # nothing requires a gradient: backward raises MXNetError
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad(grad_req='null')
    with ag.record():
        y = x * 3
    return {'backward': raises(lambda: y.backward()), 'grad': x.grad}


def case_reattach_resets_grad(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = x * x
    y.backward()
    before = x.grad.copy()
    x.attach_grad()
    return {'before': before, 'after': x.grad}


def case_second_backward_needs_retain_graph(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with ag.record():
        y = (x * x).sum()
    y.backward()
    err = raises(lambda: y.backward())
    with ag.record():
        y = (x * x).sum()
    y.backward(retain_graph=True)
    ok = raises(lambda: y.backward())
    return {'without': err, 'with_retain': ok, 'grad': x.grad}


def case_backward_not_recorded(mx):
    nd = mx.nd
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    y = x * 2  # not inside record()
    z = nd.array([1.0, 2.0])
    return {'unrecorded_result': raises(lambda: y.backward()),
            'plain_array': raises(lambda: z.backward()), 'grad': x.grad}


def case_backward_inside_record(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = x * x
        y.backward()
    return x.grad


def case_autograd_grad(mx):
    # autograd.grad returns a list even for a single variable
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with ag.record():
        y = x ** 3
    g = ag.grad(y, x)
    with ag.record():
        y = x ** 3
    g_list = ag.grad(y, [x])
    return {'single': g, 'list': g_list, 'type': type(g).__name__,
            'x.grad_untouched': x.grad}


def case_autograd_grad_head_grads_and_two_vars(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    w = nd.array([3.0, 4.0])
    x.attach_grad()
    w.attach_grad()
    with ag.record():
        y = x * x
    hg = ag.grad(y, x, head_grads=nd.array([1.0, 10.0]))
    with ag.record():
        z = (x * w).sum()
    gx, gw = ag.grad(z, [x, w])
    return {'head_grads': hg, 'gx': gx, 'gw': gw}


def case_autograd_grad_retain_graph(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    w = nd.array([3.0, 4.0])
    x.attach_grad()
    w.attach_grad()
    with ag.record():
        y = (x * w).sum()
    first = ag.grad(y, [x], retain_graph=True)
    second = ag.grad(y, [w])
    third = raises(lambda: ag.grad(y, [w]))
    return [first, second, third]


def case_autograd_grad_unattached_variable(mx):
    nd, ag = mx.nd, mx.autograd
    z = nd.array([1.0, 2.0])
    with ag.record():
        y = z * z
    return raises(lambda: ag.grad(y, [z]))


def case_second_order_power_not_supported(mx):
    # MXNet 1.9.1 cannot differentiate the gradient of x**3 or x*x*x: the
    # backward operators register no FGradient, so backward raises MXNetError
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with ag.record():
        y = x ** 3
        g = ag.grad(y, [x], create_graph=True, retain_graph=True)[0]
    first = g.copy()
    err = raises(lambda: g.backward())
    x2 = nd.array([1.0, 2.0, 3.0])
    x2.attach_grad()
    with ag.record():
        y2 = x2 * x2 * x2
        g2 = ag.grad(y2, [x2], create_graph=True, retain_graph=True)[0]
        s = g2.sum()
    err2 = raises(lambda: s.backward())
    return {'first_order': first, 'power_error': err, 'mul_error': err2,
            'x.grad': x.grad}


def case_second_order_supported_ops(mx):
    # sin, exp and sigmoid do have second derivatives
    nd, ag = mx.nd, mx.autograd
    out = {}
    for name, fn in (('sin', nd.sin), ('exp', nd.exp), ('sigmoid', nd.sigmoid)):
        x = nd.array([0.5, 1.0])
        x.attach_grad()
        with ag.record():
            y = fn(x)
            g = ag.grad(y, [x], create_graph=True, retain_graph=True)[0]
        g.backward()
        out[name] = {'first': g, 'second': x.grad}
    return out


def case_grad_without_create_graph(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([0.5, 1.0])
    x.attach_grad()
    with ag.record():
        y = nd.sin(x)
        g = ag.grad(y, [x])[0]
    return {'g': g, 'backward_on_g': raises(lambda: g.backward())}


def _sigmoid_cls(mx):
    """Built per call: the base class comes from the mxnet under test."""
    nd = mx.nd

    class Sigmoid(mx.autograd.Function):
        def forward(self, x):
            y = 1 / (1 + nd.exp(-x))
            self.save_for_backward(y)
            return y

        def backward(self, dy):
            y, = self.saved_tensors
            return dy * y * (1 - y)
    return Sigmoid


def case_function_sigmoid(mx):
    nd, ag = mx.nd, mx.autograd
    Sigmoid = _sigmoid_cls(mx)
    x = nd.array([-1.0, 0.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = Sigmoid()(x)
        z = y * 10
    z.backward()
    unrecorded = Sigmoid()(nd.array([0.0]))
    return {'y': y, 'x.grad': x.grad, 'unrecorded': unrecorded}


def case_function_two_inputs_outputs(mx):
    nd, ag = mx.nd, mx.autograd

    class ProdSum(ag.Function):
        def forward(self, a, b):
            self.save_for_backward(a, b)
            return a * b, a + b

        def backward(self, dprod, dsum):
            a, b = self.saved_tensors
            return dprod * b + dsum, dprod * a + dsum
    a = nd.array([1.0, 2.0])
    b = nd.array([3.0, 5.0])
    a.attach_grad()
    b.attach_grad()
    with ag.record():
        p, s = ProdSum()(a, b)
        z = p * 2 + s
    z.backward()
    return {'p': p, 's': s, 'a.grad': a.grad, 'b.grad': b.grad}


def case_function_instance_called_twice(mx):
    Sigmoid = _sigmoid_cls(mx)
    f = Sigmoid()
    x = mx.nd.array([1.0])
    with mx.autograd.record():
        f(x)
        err = raises(lambda: f(x))
    return err


def case_mark_variables(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    g = nd.zeros(2)
    ag.mark_variables([x], [g])
    with ag.record():
        y = x * 5
    y.backward()
    x2 = nd.array([1.0, 2.0])
    g2 = nd.ones(2)
    ag.mark_variables(x2, g2, grad_reqs='add')
    with ag.record():
        y2 = x2 * 5
    y2.backward()
    return {'g': g, 'x.grad': x.grad, 'g_add': g2}


def case_detach_stop_gradient_blockgrad(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = x * 2
        z = y.detach() * x
    z.backward()
    g_detach = x.grad.copy()
    with ag.record():
        y = x * 2
        z = nd.stop_gradient(y) * x + nd.BlockGrad(x * x)
    z.backward()
    g_stop = x.grad.copy()
    with ag.record():
        only = x.detach() * 3
    return {'detach': g_detach, 'stop_gradient': g_stop,
            'detached_only': raises(lambda: only.backward())}


def case_pause_excludes_from_graph(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = x * 2
        with ag.pause():
            z = y * 3
        w = y + z
    w.backward()
    return x.grad


def case_grad_through_views_and_gather(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.arange(6).reshape((2, 3))
    x.attach_grad()
    with ag.record():
        w = (x[1] * 2).sum() + (x[:, 0] * 3).sum()
    w.backward()
    v = nd.arange(4)
    v.attach_grad()
    with ag.record():
        y = v[nd.array([0, 0, 3])] * 1
    y.backward()
    return {'views': x.grad, 'gather_duplicates_accumulate': v.grad}


def case_grad_of_non_leaf_is_none(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with ag.record():
        y = x * 2
    return {'y.grad': y.grad, 'x.grad': x.grad}


def _recorded_pair(mx):
    x = mx.nd.array([1.0, 2.0])
    x.attach_grad()
    return x


def case_inplace_on_recorded_array(mx):
    # assigning to an array that is part of the recorded graph raises MXNetError
    ag = mx.autograd
    x = _recorded_pair(mx)
    with ag.record():
        y = x * 2

        def iadd():
            y.__iadd__(1)

        def setitem():
            y[:] = 5

        def set_leaf():
            x[0] = 5
        return {'iadd': raises(iadd), 'setitem': raises(setitem), 'leaf': raises(set_leaf)}


def case_inplace_on_recorded_array_still_writes(mx):
    # ... yet the write has already happened when the error is raised
    ag = mx.autograd
    x = _recorded_pair(mx)
    with ag.record():
        y = x * 2

        def iadd():
            y.__iadd__(1)
        raises(iadd)
        y_after_iadd = y.copy()

        def set_leaf():
            x[0] = 5
        raises(set_leaf)
    return {'y_after_iadd': y_after_iadd, 'x_after_setitem': x}


def case_dropout_train_vs_predict(mx):
    # Dropout is active when training (record() or train_mode()), identity
    # otherwise; kept values are scaled by 1/(1-p)
    nd, ag = mx.nd, mx.autograd
    x = nd.ones((20000,))
    with ag.record():
        d_rec = nd.Dropout(x, p=0.5)
    with ag.train_mode():
        d_train = nd.Dropout(x, p=0.5)
    with ag.record(train_mode=False):
        d_rec_pred = nd.Dropout(x, p=0.5)
    d_plain = nd.Dropout(x, p=0.5)
    with ag.predict_mode():
        d_pred = nd.Dropout(x, p=0.5)

    def summary(d):
        a = d.asnumpy()
        return {'values_subset_of_0_2': bool(np.isin(a, [0.0, 2.0]).all()),
                'kept_fraction': stat(float((a != 0).mean()), atol=0.03),
                'mean': stat(float(a.mean()), atol=0.06)}
    return {'record': summary(d_rec), 'train_mode': summary(d_train),
            'record_predict': d_rec_pred.asnumpy().tolist() == [1.0] * 20000,
            'plain': d_plain.asnumpy().tolist() == [1.0] * 20000,
            'predict_mode': d_pred.asnumpy().tolist() == [1.0] * 20000}


def case_dropout_gradient_matches_mask(mx):
    nd, ag = mx.nd, mx.autograd
    x = nd.ones((1000,))
    x.attach_grad()
    with ag.record():
        y = nd.Dropout(x, p=0.3)
    y.backward()
    a, g = y.asnumpy(), x.grad.asnumpy()
    return {'grad_equals_output_for_ones': bool(np.allclose(a, g)),
            'scale': float(np.round(a.max(), 4))}


def case_int_array_gradient(mx):
    nd, ag = mx.nd, mx.autograd
    i = nd.array([1, 2], dtype='int32')
    i.attach_grad()
    with ag.record():
        y = i * 2
    y.backward()
    return i.grad
