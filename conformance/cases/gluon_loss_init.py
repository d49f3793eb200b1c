"""gluon.loss (values, gradients w.r.t. pred, hybridized) and mx.init (initializers,
dispatch by name, registration, seeding).

Loss inputs come from a fixed numpy RandomState; random initializers are compared by
statistics (mean/std/bounds) only."""
import numpy as np

from harness import raises, stat

AREA = 'gluon_loss_init'


def _data(mx, shape, seed=0, low=-1.0, high=1.0):
    return mx.nd.array(np.random.RandomState(seed).uniform(low, high, shape))


def _loss_and_grad(mx, loss, pred, *args, **kwargs):
    pred = pred.copy()
    pred.attach_grad()
    with mx.autograd.record():
        value = loss(pred, *args, **kwargs)
    value.backward()
    return value, pred.grad


def _run(mx, loss, pred, *args, **kwargs):
    """Loss and d(sum loss)/d(pred) imperatively, then the same loss hybridized."""
    value, grad = _loss_and_grad(mx, loss, pred, *args, **kwargs)
    loss.hybridize()
    hybrid, hybrid_grad = _loss_and_grad(mx, loss, pred, *args, **kwargs)
    return {'loss': value, 'grad': grad, 'hybrid': hybrid, 'hybrid_grad': hybrid_grad}


# ----------------------------------------------------------------------------- losses

def case_l2_l1_weight_batch_axis_sample_weight(mx):
    loss = mx.gluon.loss
    pred, label = _data(mx, (3, 4), 1), _data(mx, (3, 4), 2)
    sw = mx.nd.array([[1.0], [0.5], [0.0]])
    return {'l2': _run(mx, loss.L2Loss(), pred, label),
            'l2_weight': _run(mx, loss.L2Loss(weight=3.0), pred, label, sw),
            'l2_axis1': _run(mx, loss.L2Loss(batch_axis=1), pred, label),
            'l1': _run(mx, loss.L1Loss(), pred, label),
            'l1_weight': _run(mx, loss.L1Loss(weight=0.5), pred, label, sw),
            'l1_axis1_sw_row': _run(mx, loss.L1Loss(batch_axis=1), pred, label,
                                    mx.nd.array([[1.0, 2.0, 0.0, 1.0]])),
            # label of another shape with the same size is reshaped to pred's
            'l2_flat_label': loss.L2Loss()(pred, label.reshape((12,))),
            'l1_3d': _run(mx, loss.L1Loss(), _data(mx, (2, 3, 2), 3), _data(mx, (2, 3, 2), 4))}


def case_softmax_ce_sparse(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (4, 3), 5, -2, 2)
    label = mx.nd.array([0, 2, 1, 2])
    sw = mx.nd.array([[1.0], [0.5], [2.0], [0.0]])
    pred3 = _data(mx, (2, 3, 4), 6, -2, 2)           # classes on axis 1
    label3 = mx.nd.array([[0, 1, 2, 1], [2, 2, 0, 0]])
    return {'plain': _run(mx, loss.SoftmaxCrossEntropyLoss(), pred, label),
            'weighted': _run(mx, loss.SoftmaxCrossEntropyLoss(weight=2.0), pred, label, sw),
            'label_column': _run(mx, loss.SoftmaxCELoss(), pred, label.reshape((4, 1))),
            'axis1': _run(mx, loss.SoftmaxCrossEntropyLoss(axis=1), pred3, label3),
            'batch_axis1': _run(mx, loss.SoftmaxCrossEntropyLoss(axis=1, batch_axis=1),
                                pred3, label3),
            'from_logits': _run(mx, loss.SoftmaxCrossEntropyLoss(from_logits=True),
                                mx.nd.log_softmax(pred), label)}


def case_softmax_ce_dense(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (4, 3), 7, -2, 2)
    label = mx.nd.softmax(_data(mx, (4, 3), 8, -2, 2))
    sw = mx.nd.array([[1.0], [0.0], [2.0], [0.5]])
    pred3 = _data(mx, (2, 3, 2), 9)
    label3 = mx.nd.softmax(_data(mx, (2, 3, 2), 10), axis=1)
    return {'dense': _run(mx, loss.SoftmaxCrossEntropyLoss(sparse_label=False), pred, label),
            'dense_sw': _run(mx, loss.SoftmaxCrossEntropyLoss(sparse_label=False, weight=0.5),
                             pred, label, sw),
            'dense_from_logits': _run(
                mx, loss.SoftmaxCrossEntropyLoss(sparse_label=False, from_logits=True),
                mx.nd.log_softmax(pred), label),
            'dense_axis1': _run(mx, loss.SoftmaxCrossEntropyLoss(axis=1, sparse_label=False),
                                pred3, label3)}


def case_sigmoid_bce(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (3, 4), 11, -3, 3)
    label = (_data(mx, (3, 4), 12) > 0)
    prob = mx.nd.sigmoid(pred)
    pos_weight = mx.nd.array([1.0, 2.0, 0.5, 3.0])
    sw = mx.nd.array([[2.0], [1.0], [0.0]])
    return {'logits': _run(mx, loss.SigmoidBinaryCrossEntropyLoss(), pred, label),
            'logits_sw_weight': _run(mx, loss.SigmoidBCELoss(weight=2.0), pred, label, sw),
            'logits_pos_weight': _run(mx, loss.SigmoidBCELoss(), pred, label,
                                      None, pos_weight),
            'from_sigmoid': _run(mx, loss.SigmoidBCELoss(from_sigmoid=True), prob, label),
            'from_sigmoid_pos_weight': _run(mx, loss.SigmoidBCELoss(from_sigmoid=True),
                                            prob, label, sw, pos_weight),
            'batch_axis1': _run(mx, loss.SigmoidBCELoss(batch_axis=1), pred, label),
            # soft labels are allowed
            'soft_labels': _run(mx, loss.SigmoidBCELoss(), pred, mx.nd.sigmoid(label * 2 - 1))}


def case_kldiv(mx):
    loss = mx.gluon.loss
    logits = _data(mx, (3, 4), 13, -2, 2)
    label = mx.nd.softmax(_data(mx, (3, 4), 14, -2, 2))
    sw = mx.nd.array([[1.0], [0.0], [3.0]])
    return {'from_logits': _run(mx, loss.KLDivLoss(), mx.nd.log_softmax(logits), label),
            'from_raw': _run(mx, loss.KLDivLoss(from_logits=False), logits, label),
            'weighted': _run(mx, loss.KLDivLoss(from_logits=False, weight=2.0), logits,
                             label, sw),
            'axis0': _run(mx, loss.KLDivLoss(from_logits=False, axis=0), logits,
                          mx.nd.softmax(label, axis=0)),
            'batch_axis1': _run(mx, loss.KLDivLoss(batch_axis=1), mx.nd.log_softmax(logits),
                                label)}


def case_huber(mx):
    loss = mx.gluon.loss
    pred, label = _data(mx, (3, 5), 15, -2, 2), _data(mx, (3, 5), 16, -2, 2)
    sw = mx.nd.array([[1.0], [2.0], [0.5]])
    return {'rho1': _run(mx, loss.HuberLoss(), pred, label),
            'rho_half': _run(mx, loss.HuberLoss(rho=0.5), pred, label),
            'rho3_weighted': _run(mx, loss.HuberLoss(rho=3, weight=0.25), pred, label, sw),
            'batch_axis1': _run(mx, loss.HuberLoss(rho=0.7, batch_axis=1), pred, label)}


def case_hinge_squared_hinge(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (3, 4), 17, -2, 2)
    label = mx.nd.sign(_data(mx, (3, 4), 18))
    sw = mx.nd.array([[1.0], [0.0], [2.0]])
    return {'hinge': _run(mx, loss.HingeLoss(), pred, label),
            'hinge_margin': _run(mx, loss.HingeLoss(margin=0.5, weight=2.0), pred, label, sw),
            'hinge_axis1': _run(mx, loss.HingeLoss(batch_axis=1), pred, label),
            'sq_hinge': _run(mx, loss.SquaredHingeLoss(), pred, label),
            'sq_hinge_margin': _run(mx, loss.SquaredHingeLoss(margin=2, weight=0.5),
                                    pred, label, sw)}


def case_logistic(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (3, 4), 19, -3, 3)
    signed = mx.nd.sign(_data(mx, (3, 4), 20))
    binary = (signed + 1) / 2
    sw = mx.nd.array([[0.5], [1.0], [2.0]])
    return {'signed': _run(mx, loss.LogisticLoss(), pred, signed),
            'binary': _run(mx, loss.LogisticLoss(label_format='binary'), pred, binary),
            'weighted': _run(mx, loss.LogisticLoss(weight=3.0), pred, signed, sw),
            'batch_axis1': _run(mx, loss.LogisticLoss(batch_axis=1), pred, signed),
            'bad_format': raises(lambda: loss.LogisticLoss(label_format='onehot'))}


def case_triplet(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (3, 4), 21)
    pos, neg = _data(mx, (3, 4), 22), _data(mx, (3, 4), 23)
    pred3, pos3, neg3 = (_data(mx, (2, 3, 2), s) for s in (24, 25, 26))
    return {'margin1': _run(mx, loss.TripletLoss(), pred, pos, neg),
            'margin_weight': _run(mx, loss.TripletLoss(margin=0.2, weight=2.0), pred, pos, neg),
            'margin3': _run(mx, loss.TripletLoss(margin=3), pred, pos, neg),
            '3d': _run(mx, loss.TripletLoss(), pred3, pos3, neg3),
            'batch_axis1': _run(mx, loss.TripletLoss(batch_axis=1), pred3, pos3, neg3)}


def _ctc_inputs(mx):
    pred = _data(mx, (2, 6, 4), 27, -2, 2)                 # NTC, 3 symbols + blank (last)
    label = mx.nd.array([[0, 1, 1, -1], [2, 0, -1, -1]])   # padded with -1
    return pred, label


def case_ctc_layouts(mx):
    loss = mx.gluon.loss
    pred, label = _ctc_inputs(mx)
    tnc = pred.swapaxes(0, 1)
    return {'ntc': _run(mx, loss.CTCLoss(), pred, label),
            'tnc': _run(mx, loss.CTCLoss(layout='TNC'), tnc, label),
            'tn_label': _run(mx, loss.CTCLoss(layout='TNC', label_layout='TN'), tnc,
                             label.swapaxes(0, 1)),
            'bad_layout': raises(lambda: loss.CTCLoss(layout='NCT')),
            'bad_label_layout': raises(lambda: loss.CTCLoss(label_layout='NTC'))}


def case_ctc_lengths_padding_weight(mx):
    loss = mx.gluon.loss
    pred, label = _ctc_inputs(mx)
    pred_len = mx.nd.array([6, 5])
    label_len = mx.nd.array([2, 1])
    sw = mx.nd.array([2.0, 0.5])
    return {'pred_lengths': _run(mx, loss.CTCLoss(), pred, label, pred_len),
            'both_lengths': _run(mx, loss.CTCLoss(), pred, label, pred_len, label_len),
            'weighted': _run(mx, loss.CTCLoss(weight=0.5), pred, label, None, None, sw),
            # 0 padding (blank index is C-1, so 0 is a real class when no -1 is present)
            'zero_padded': _run(mx, loss.CTCLoss(), pred, mx.nd.array([[1, 2, 0, 0],
                                                                       [2, 1, 1, 0]]))}


def case_poisson_nll(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (3, 4), 28, -1, 1)
    rate = _data(mx, (3, 4), 29, 0.5, 4)
    target = mx.nd.array(np.random.RandomState(30).poisson(2.0, (3, 4)))
    sw = mx.nd.array([[1.0], [2.0], [0.0]])
    return {'from_logits': _run(mx, loss.PoissonNLLLoss(), pred, target),
            'from_rates': _run(mx, loss.PoissonNLLLoss(from_logits=False), rate, target),
            'weighted': _run(mx, loss.PoissonNLLLoss(weight=2.0), pred, target, sw),
            'batch_axis1': _run(mx, loss.PoissonNLLLoss(batch_axis=1), pred, target)}


def case_poisson_nll_compute_full(mx):
    loss = mx.gluon.loss
    pred = _data(mx, (3, 4), 36, -1, 1)
    rate = _data(mx, (3, 4), 37, 0.5, 4)
    target = mx.nd.array(np.random.RandomState(38).poisson(3.0, (3, 4)) + 1)
    with_zero = target.copy()
    with_zero[0, 0] = 0
    return {'full': loss.PoissonNLLLoss(compute_full=True)(pred, target),
            'full_rates': loss.PoissonNLLLoss(from_logits=False, compute_full=True)(
                rate, target),
            # 0 * log(0) is NaN and the (target > 1) mask does not remove it
            'zero_target_nan': loss.PoissonNLLLoss(compute_full=True)(pred, with_zero)}


def case_poisson_nll_compute_full_record_hybrid(mx):
    # MXNet's compute_full updates the loss in place: fails under autograd and hybridized
    loss = mx.gluon.loss
    pred = _data(mx, (3, 4), 36, -1, 1)
    target = mx.nd.array(np.random.RandomState(38).poisson(3.0, (3, 4)) + 1)

    def recorded():
        pred.attach_grad()
        with mx.autograd.record():
            return loss.PoissonNLLLoss(compute_full=True)(pred, target)

    def hybridized():
        l = loss.PoissonNLLLoss(compute_full=True)
        l.hybridize()
        return l(pred, target)
    return {'recorded': raises(recorded), 'hybridized': raises(hybridized)}


def case_cosine_embedding(mx):
    loss = mx.gluon.loss
    x1, x2 = _data(mx, (4, 3), 31), _data(mx, (4, 3), 32)
    label = mx.nd.array([1, -1, 1, -1])
    sw = mx.nd.array([[1.0], [2.0], [0.5], [0.0]])
    return {'margin0': _run(mx, loss.CosineEmbeddingLoss(), x1, x2, label),
            'margin_neg': _run(mx, loss.CosineEmbeddingLoss(margin=-0.3), x1, x2, label),
            'margin_pos': _run(mx, loss.CosineEmbeddingLoss(margin=0.2, weight=2.0), x1, x2,
                               label, sw),
            'identical': loss.CosineEmbeddingLoss()(x1, x1, label)}


def case_loss_misc(mx):
    loss = mx.gluon.loss
    pred, label = _data(mx, (2, 3), 33), _data(mx, (2, 3), 34)
    l2 = loss.L2Loss(weight=2.0, batch_axis=1)
    return {'repr_l2': repr(l2), 'repr_sce': repr(loss.SoftmaxCrossEntropyLoss()),
            'is_hybrid': isinstance(l2, mx.gluon.HybridBlock),
            'no_params': list(l2.collect_params().keys()),
            'array_weight': raises(lambda: loss.L1Loss(weight=mx.nd.ones((1,)))(pred, label)),
            'ndarray_sample_weight_3d': loss.L2Loss()(pred.reshape((2, 3, 1)),
                                                      label.reshape((2, 3, 1)),
                                                      mx.nd.array([[[1.0]], [[3.0]]]))}


def case_loss_label_shape_mismatch(mx):
    # the label is reshaped to pred's shape: NDArray.reshape raises ValueError when the
    # label is larger, MXNetError when it is smaller
    loss = mx.gluon.loss
    pred = _data(mx, (2, 3), 33)
    return {'l1': raises(lambda: loss.L1Loss()(pred, _data(mx, (2, 4), 35))),
            'l2': raises(lambda: loss.L2Loss()(pred, _data(mx, (3,), 35)))}


# ----------------------------------------------------------------------------- initializers

def _param(mx, init, shape, name='w', dtype='float32'):
    p = mx.gluon.Parameter(name, shape=shape, init=init, dtype=dtype)
    p.initialize()
    return p.data()


def _stats(a):
    """shape/dtype exactly; mean (within 5 standard errors), std and max |x| within
    tolerance of the golden."""
    x = a.asnumpy().astype('float64')
    return {'shape': a.shape, 'dtype': str(np.dtype(a.dtype)),
            'mean': stat(float(x.mean()), atol=5 * x.std() / np.sqrt(x.size)),
            'std': stat(float(x.std()), rtol=0.05),
            'max_abs': stat(float(np.abs(x).max()), rtol=0.35)}


def case_init_uniform_normal(mx):
    init = mx.init
    u = _param(mx, init.Uniform(0.3), (100, 100)).asnumpy()
    return {'uniform': _stats(_param(mx, init.Uniform(0.3), (100, 100))),
            'uniform_in_bounds': bool(np.abs(u).max() <= 0.3),
            'uniform_default': _stats(_param(mx, init.Uniform(), (100, 100))),
            'uniform_f64': _stats(_param(mx, init.Uniform(2.0), (50, 40), dtype='float64')),
            'normal': _stats(_param(mx, init.Normal(0.5), (100, 100))),
            'normal_default': _stats(_param(mx, init.Normal(), (100, 100)))}


def case_init_xavier(mx):
    init = mx.init
    out = {}
    for rnd in ('uniform', 'gaussian'):
        for factor in ('avg', 'in', 'out'):
            for mag in (3, 1.5):
                key = '%s_%s_%s' % (rnd, factor, mag)
                out[key] = _stats(_param(mx, init.Xavier(rnd, factor, mag), (60, 120)))
    out['conv_fans'] = _stats(_param(mx, init.Xavier(factor_type='in'), (32, 16, 3, 3)))
    out['conv_gaussian'] = _stats(_param(mx, init.Xavier('gaussian', 'out', 2),
                                         (16, 8, 5, 5)))
    out['vector'] = raises(lambda: _param(mx, init.Xavier(), (5,)))
    out['bad_factor'] = raises(lambda: _param(mx, init.Xavier(factor_type='sum'), (4, 4)))
    out['bad_rnd'] = raises(lambda: _param(mx, init.Xavier(rnd_type='cauchy'), (4, 4)))
    return out


def case_init_msraprelu(mx):
    init = mx.init
    return {'default': _stats(_param(mx, init.MSRAPrelu(), (100, 80))),
            'in_slope0': _stats(_param(mx, init.MSRAPrelu('in', 0.0), (100, 80))),
            'out_slope1': _stats(_param(mx, init.MSRAPrelu('out', 1.0), (64, 8, 3, 3))),
            'is_xavier': isinstance(init.MSRAPrelu(), init.Xavier)}


def case_init_constant_zero_one(mx):
    init = mx.init
    return {'constant': _param(mx, init.Constant(0.25), (2, 3)),
            'constant_int': _param(mx, init.Constant(3), (2,), dtype='int32'),
            'constant_array': _param(mx, init.Constant(mx.nd.array([1, 2, 3])), (2, 3)),
            'constant_f64': _param(mx, init.Constant(-1.5), (2,), dtype='float64'),
            'zero': _param(mx, init.Zero(), (2, 2)), 'one': _param(mx, init.One(), (3,)),
            'by_name': [_param(mx, name, (2,)) for name in ('zeros', 'ones', 'zero', 'one')],
            # names must match a registered initializer
            'unknown_name': raises(lambda: _param(mx, 'threes', (2,)))}


def case_init_orthogonal(mx):
    init = mx.init
    out = {}
    for key, ini, shape in [('wide', init.Orthogonal(), (4, 6)),
                            ('tall', init.Orthogonal(), (6, 4)),
                            ('square_scale1', init.Orthogonal(scale=1.0), (5, 5)),
                            ('normal_scale2', init.Orthogonal(2.0, 'normal'), (3, 8)),
                            ('conv', init.Orthogonal(scale=0.5), (4, 2, 2, 2))]:
        w = _param(mx, ini, shape).asnumpy().reshape(shape[0], -1)
        gram = w.dot(w.T) if w.shape[0] <= w.shape[1] else w.T.dot(w)
        out[key] = {'shape': list(shape), 'gram': stat(gram, atol=1e-4),
                    'norms_max': stat(float(np.abs(w).max()), rtol=0.5)}
    return out


def case_init_bilinear(mx):
    init = mx.init
    return {'4x4': _param(mx, init.Bilinear(), (2, 1, 4, 4)),
            '3x3': _param(mx, init.Bilinear(), (1, 2, 3, 3)),
            '2x5': _param(mx, init.Bilinear(), (1, 1, 2, 5)),
            'deconv': _bilinear_deconv(mx)}


def _bilinear_deconv(mx):
    up = mx.gluon.nn.Conv2DTranspose(1, 4, strides=2, padding=1, in_channels=1,
                                     weight_initializer=mx.init.Bilinear(), use_bias=False)
    up.initialize()
    return up(mx.nd.array([[[[1, 2], [3, 4]]]]))


def case_init_lstm_bias(mx):
    init = mx.init
    lstm = mx.gluon.rnn.LSTM(3, input_size=2, i2h_bias_initializer=init.LSTMBias(2.5))
    lstm.initialize()
    return {'param': _param(mx, init.LSTMBias(), (8,)),
            'forget_3': _param(mx, init.LSTMBias(forget_bias=3.0), (12,)),
            'dumps': init.LSTMBias(2.0).dumps(),
            'lstm_i2h_bias': lstm.l0_i2h_bias.data(),
            'lstm_h2h_bias': lstm.l0_h2h_bias.data()}


def case_init_mixed(mx):
    init, nn = mx.init, mx.gluon.nn
    mixed = init.Mixed(['.*bias', 'dense1_.*', '.*'],
                       [init.Constant(0.5), init.One(), init.Constant(-2.0)])
    arrs = {}
    for name in ('dense0_weight', 'dense0_bias', 'dense1_weight', 'conv_gamma'):
        arrs[name] = mx.nd.zeros((2, 2))
        mixed(mx.init.InitDesc(name), arrs[name])
    # Mixed is no Initializer subclass: Gluon's initialize() refuses it
    net = nn.Dense(2, in_units=2)
    only_bias = init.Mixed(['.*bias'], [init.One()])
    return {'arrays': arrs, 'net': raises(lambda: net.initialize(mixed)),
            'create': raises(lambda: init.create(mixed)),
            'create_number': raises(lambda: init.create(3)),
            'no_match': raises(lambda: only_bias(mx.init.InitDesc('fc_weight'), mx.nd.zeros(2))),
            'length_mismatch': raises(lambda: init.Mixed(['a', 'b'], [init.One()]))}


def case_init_custom_registered(mx):
    init, nn = mx.init, mx.gluon.nn

    @init.register
    class ArangeInit(init.Initializer):
        def __init__(self, start=0.0):
            super(ArangeInit, self).__init__(start=start)
            self.start = start

        def _init_weight(self, name, arr):
            arr[:] = mx.nd.arange(arr.size).reshape(arr.shape) + self.start

        def _init_bias(self, name, arr):
            arr[:] = 7.0

    net = nn.Dense(2, in_units=3)
    net.initialize(ArangeInit(1.0))
    by_name = nn.Dense(2, in_units=2)
    by_name.initialize('arangeinit')
    # Gluon passes every parameter to _init_weight: a bias without its own init too
    plain_bias = mx.gluon.Parameter('x_bias', shape=(3,))
    plain_bias.initialize(default_init=ArangeInit())
    desc_bias = mx.nd.zeros((3,))
    ArangeInit()(init.InitDesc('x_bias'), desc_bias)
    return {'weight': net.weight.data(), 'bias': net.bias.data(),
            'by_name_weight': by_name.weight.data(), 'plain_bias': plain_bias.data(),
            'desc_bias': desc_bias, 'dumps': ArangeInit(2.5).dumps(),
            'created': init.create('arangeinit', start=4.0).dumps(),
            'from_dumps': type(init.create(ArangeInit(3.0).dumps())).__name__,
            'not_subclass': raises(lambda: init.register(object)),
            'abstract': raises(lambda: _param(mx, init.Initializer(), (2,)))}


def case_init_dumps_and_create(mx):
    init = mx.init
    inits = [init.Uniform(), init.Uniform(0.5), init.Normal(), init.Normal(sigma=2),
             init.Xavier(), init.Xavier(rnd_type='gaussian', factor_type='in', magnitude=2.34),
             init.MSRAPrelu(), init.MSRAPrelu('out', 0.1), init.Constant(0.5), init.Zero(),
             init.One(), init.Orthogonal(), init.Orthogonal(2.0, 'normal'), init.Bilinear()]
    dumps = [i.dumps() for i in inits]
    return {'dumps': dumps,
            'round_trip': [init.create(d).dumps() == d for d in dumps],
            'constant_array': init.Constant(mx.nd.array([1.0, 2.0])).dumps(),
            'create_names': [type(init.create(n)).__name__
                             for n in ('uniform', 'Normal', 'XAVIER', 'msraprelu', 'zeros',
                                       'ones', 'orthogonal', 'bilinear')],
            'create_kwargs': init.create('normal', sigma=0.3).dumps(),
            'create_instance_same': init.create(inits[0]) is inits[0],
            'unknown': raises(lambda: init.create('nope'))}


def case_init_seed_reproducible(mx):
    nn = mx.gluon.nn

    def draw(seed, ini):
        mx.random.seed(seed)
        net = nn.Dense(50, in_units=40)
        net.initialize(ini)
        return net.weight.data().asnumpy()
    out = {}
    for key, ini in [('uniform', mx.init.Uniform(0.5)), ('normal', mx.init.Normal(1.0)),
                     ('xavier', mx.init.Xavier('gaussian')), ('orthogonal', mx.init.Orthogonal())]:
        a, b, c = draw(3, ini), draw(3, ini), draw(4, ini)
        out[key] = {'same_seed_equal': bool((a == b).all()),
                    'other_seed_differs': bool((a != c).any()),
                    'mean': stat(float(a.mean()), atol=5 * a.std() / np.sqrt(a.size)),
                    'std': stat(float(a.std()), rtol=0.05)}
    return out


def case_init_default_names_and_param_init(mx):
    init, nn = mx.init, mx.gluon.nn
    dense = nn.Dense(30, in_units=40)
    dense.initialize(init.Normal(1.0))                 # the bias keeps its own 'zeros'
    bn = nn.BatchNorm(in_channels=3)
    bn.initialize(init.Normal(1.0))                    # gamma/running_var ones, beta/mean zeros
    own = nn.Dense(2, in_units=2, weight_initializer=init.Constant(2.0),
                   bias_initializer='ones')
    own.initialize(init.Normal(1.0))                   # a layer's own initializers win
    plain = nn.Dense(30, in_units=40)
    plain.initialize()                                 # default: Uniform(0.07)
    # Parameter.initialize(init) overrides the Parameter's own init
    p = mx.gluon.Parameter('q_bias', shape=(4,), init=init.One())
    p.initialize(init.Constant(5.0))
    q = mx.gluon.Parameter('q_bias', shape=(4,), init=init.One())
    q.initialize(default_init=init.Constant(5.0))
    w = plain.weight.data().asnumpy()
    return {'dense_weight': _stats(dense.weight.data()),
            'dense_bias': dense.bias.data(),
            'bn': {k.split('_', 1)[1]: v.data() for k, v in bn.collect_params().items()},
            'own_weight': own.weight.data(), 'own_bias': own.bias.data(),
            'plain_weight': _stats(plain.weight.data()),
            'plain_in_bounds': bool(np.abs(w).max() <= 0.07),
            'param_init_arg': p.data(), 'param_default_init': q.data(),
            'inits': [str(dense.weight.init), dense.bias.init, bn.gamma.init,
                      bn.running_var.init]}


def case_init_reinitialize(mx):
    nn = mx.gluon.nn
    net = nn.Dense(3, in_units=2)
    net.initialize(mx.init.One())
    net.initialize(mx.init.Zero())                    # warns, keeps the first values
    kept = net.weight.data().copy()
    net.initialize(mx.init.Constant(4.0), force_reinit=True)
    deferred = nn.Dense(2)
    deferred.initialize(mx.init.Constant(0.5))
    before = raises(lambda: deferred.weight.data())
    deferred(mx.nd.ones((1, 3)))
    return {'kept': kept, 'forced': net.weight.data(), 'forced_bias': net.bias.data(),
            'deferred_before': before, 'deferred_after': deferred.weight.data()}


def case_init_desc_dispatch(mx):
    init = mx.init
    out = {}
    for name in ('fc_weight', 'fc_bias', 'bn_gamma', 'bn_beta', 'q_min', 'q_max'):
        arr = mx.nd.full((3,), 9.0)
        init.Constant(0.5)(init.InitDesc(name), arr)
        out[name] = arr
    attr = mx.nd.full((2,), 9.0)
    init.Constant(0.5)(init.InitDesc('fc_bias', {'__init__': init.One().dumps()}), attr)
    out['attr_init'] = attr
    out['unknown'] = raises(lambda: init.Constant(0.5)(init.InitDesc('foo'), mx.nd.zeros(2)))
    legacy = {}
    for name in ('fc_weight', 'fc_bias', 'bn_moving_var', 'bn_moving_mean', 'bn_gamma'):
        arr = mx.nd.full((2,), 9.0)
        init.Constant(0.5)(name, arr)               # deprecated plain-string form
        legacy[name] = arr
    out['legacy'] = legacy
    out['desc'] = [str(init.InitDesc('abc')), init.InitDesc('abc', {'k': 'v'}).attrs,
                   isinstance(init.InitDesc('abc'), str)]
    return out
