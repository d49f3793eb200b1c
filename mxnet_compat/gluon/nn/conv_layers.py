"""Convolution and pooling layers (1-D, 2-D, 3-D) over ``nd.Convolution``,
``nd.Deconvolution`` and ``nd.Pooling``.

Weight shapes follow MXNet: convolution (channels, in_channels / groups, *kernel) for
channel-first layouts, (channels, *kernel, in_channels / groups) for channel-last ones;
transposed convolution (in_channels, channels / groups, *kernel).  Without ``in_channels``
the weight is completed at the first call.  All convolutions are named ``conv<n>_`` and
all poolings ``pool<n>_``, as in MXNet."""
from ...base import numeric_types
from ..block import HybridBlock
from .activations import Activation

__all__ = ['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose',
           'Conv3DTranspose', 'MaxPool1D', 'MaxPool2D', 'MaxPool3D', 'AvgPool1D', 'AvgPool2D',
           'AvgPool3D', 'GlobalMaxPool1D', 'GlobalMaxPool2D', 'GlobalMaxPool3D',
           'GlobalAvgPool1D', 'GlobalAvgPool2D', 'GlobalAvgPool3D', 'ReflectionPad2D']


def _tuple(value, n, what):
    if isinstance(value, numeric_types):
        return (value,) * n
    value = tuple(value)
    if len(value) != n:
        raise AssertionError('{} must be a number or a list of {} ints'.format(what, n))
    return value


class _Conv(HybridBlock):
    """The shared convolution layer (``op_name`` 'Convolution' or 'Deconvolution')."""

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                 in_channels=0, activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', op_name='Convolution', adj=None, prefix=None,
                 params=None):
        super().__init__(prefix=prefix, params=params)
        n = len(kernel_size)
        with self.name_scope():
            self._channels = channels
            self._in_channels = in_channels
            self._op_name = op_name
            self._kwargs = {'kernel': kernel_size, 'stride': _tuple(strides, n, 'strides'),
                            'dilate': _tuple(dilation, n, 'dilation'),
                            'pad': _tuple(padding, n, 'padding'), 'num_filter': channels,
                            'num_group': groups, 'no_bias': not use_bias, 'layout': layout}
            if adj is not None:
                self._kwargs['adj'] = adj
            self.weight = self.params.get('weight', shape=self._weight_shape(in_channels),
                                          init=weight_initializer, allow_deferred_init=True)
            if use_bias:
                self.bias = self.params.get('bias', shape=(channels,), init=bias_initializer,
                                            allow_deferred_init=True)
            else:
                self.bias = None
            self.act = Activation(activation, prefix=activation + '_') if activation else None

    def _weight_shape(self, in_channels):
        kernel, groups = self._kwargs['kernel'], self._kwargs['num_group']
        if self._op_name == 'Deconvolution':
            return (in_channels, self._channels // groups) + tuple(kernel)
        per_group = in_channels // groups
        if self._kwargs['layout'].endswith('C'):
            return (self._channels,) + tuple(kernel) + (per_group,)
        return (self._channels, per_group) + tuple(kernel)

    def infer_shape(self, x, *args):
        in_channels = x.shape[self._kwargs['layout'].find('C')]
        self.weight.shape = self._weight_shape(in_channels)

    def _alias(self):
        return 'conv'

    def hybrid_forward(self, F, x, weight, bias=None):
        op = getattr(F, self._op_name)
        if bias is None:
            out = op(x, weight, **self._kwargs)
        else:
            out = op(x, weight, bias, **self._kwargs)
        if self.act is not None:
            out = self.act(out)
        return out

    def __repr__(self):
        kw = self._kwargs
        n = len(kw['kernel'])
        s = '{name}({mapping}, kernel_size={kernel}, stride={stride}'
        if kw['pad'] != (0,) * n:
            s += ', padding={pad}'
        if kw['dilate'] != (1,) * n:
            s += ', dilation={dilate}'
        if kw['num_group'] != 1:
            s += ', groups={num_group}'
        if self.bias is None:
            s += ', bias=False'
        if self.act:
            s += ', {}'.format(self.act)
        s += ')'
        shape = self.weight.shape
        return s.format(name=self.__class__.__name__,
                        mapping='{0} -> {1}'.format(shape[1] if shape[1] else None, shape[0]),
                        **kw)


def _check_layout(layout, layouts, what):
    if layout not in layouts:
        raise AssertionError('Only supports {} layout for {} now'.format(
            ' and '.join(repr(x) for x in layouts), what))


class Conv1D(_Conv):
    """1-D convolution over (N, C, W) inputs (MXNet 1.9.1 has no NWC Conv1D)."""

    def __init__(self, channels, kernel_size, strides=1, padding=0, dilation=1, groups=1,
                 layout='NCW', activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', in_channels=0, **kwargs):
        _check_layout(layout, ('NCW',), 'Conv1D')
        super().__init__(channels, _tuple(kernel_size, 1, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, **kwargs)


class Conv2D(_Conv):
    """2-D convolution over (N, C, H, W) inputs (or NHWC)."""

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0), dilation=(1, 1),
                 groups=1, layout='NCHW', activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs):
        _check_layout(layout, ('NCHW', 'NHWC'), 'Conv2D')
        super().__init__(channels, _tuple(kernel_size, 2, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, **kwargs)


class Conv3D(_Conv):
    """3-D convolution over (N, C, D, H, W) inputs (or NDHWC)."""

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0),
                 dilation=(1, 1, 1), groups=1, layout='NCDHW', activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs):
        _check_layout(layout, ('NCDHW', 'NDHWC'), 'Conv3D')
        super().__init__(channels, _tuple(kernel_size, 3, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, **kwargs)


class _ConvTranspose(_Conv):
    def __init__(self, n, layout, channels, kernel_size, strides, padding, output_padding,
                 dilation, groups, activation, use_bias, weight_initializer, bias_initializer,
                 in_channels, **kwargs):
        output_padding = _tuple(output_padding, n, 'output_padding')
        super().__init__(channels, _tuple(kernel_size, n, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, op_name='Deconvolution',
                         adj=output_padding, **kwargs)
        self.outpad = output_padding


class Conv1DTranspose(_ConvTranspose):
    """1-D transposed convolution (NCW)."""

    def __init__(self, channels, kernel_size, strides=1, padding=0, output_padding=0,
                 dilation=1, groups=1, layout='NCW', activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs):
        _check_layout(layout, ('NCW',), 'Conv1DTranspose')
        super().__init__(1, layout, channels, kernel_size, strides, padding, output_padding,
                         dilation, groups, activation, use_bias, weight_initializer,
                         bias_initializer, in_channels, **kwargs)


class Conv2DTranspose(_ConvTranspose):
    """2-D transposed convolution (NCHW)."""

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0),
                 output_padding=(0, 0), dilation=(1, 1), groups=1, layout='NCHW',
                 activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', in_channels=0, **kwargs):
        _check_layout(layout, ('NCHW',), 'Conv2DTranspose')
        super().__init__(2, layout, channels, kernel_size, strides, padding, output_padding,
                         dilation, groups, activation, use_bias, weight_initializer,
                         bias_initializer, in_channels, **kwargs)


class Conv3DTranspose(_ConvTranspose):
    """3-D transposed convolution (NCDHW)."""

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0),
                 output_padding=(0, 0, 0), dilation=(1, 1, 1), groups=1, layout='NCDHW',
                 activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', in_channels=0, **kwargs):
        _check_layout(layout, ('NCDHW',), 'Conv3DTranspose')
        super().__init__(3, layout, channels, kernel_size, strides, padding, output_padding,
                         dilation, groups, activation, use_bias, weight_initializer,
                         bias_initializer, in_channels, **kwargs)


class _Pooling(HybridBlock):
    """The shared pooling layer; ``strides`` default to ``pool_size``; ``ceil_mode`` rounds
    the output size up (MXNet's pooling_convention='full')."""

    def __init__(self, pool_size, strides, padding, ceil_mode, global_pool, pool_type, layout,
                 count_include_pad=None, **kwargs):
        super().__init__(**kwargs)
        n = len(pool_size)
        if strides is None:
            strides = pool_size
        self._kwargs = {'kernel': pool_size, 'stride': _tuple(strides, n, 'strides'),
                        'pad': _tuple(padding, n, 'padding'), 'global_pool': global_pool,
                        'pool_type': pool_type, 'layout': layout,
                        'pooling_convention': 'full' if ceil_mode else 'valid'}
        if count_include_pad is not None:
            self._kwargs['count_include_pad'] = count_include_pad

    def _alias(self):
        return 'pool'

    def hybrid_forward(self, F, x):
        return F.Pooling(x, **self._kwargs)

    def __repr__(self):
        s = '{name}(size={kernel}, stride={stride}, padding={pad}, ceil_mode={ceil_mode}'
        s += ', global_pool={global_pool}, pool_type={pool_type}, layout={layout})'
        return s.format(name=self.__class__.__name__,
                        ceil_mode=self._kwargs['pooling_convention'] == 'full', **self._kwargs)


def _pool_layouts(n):
    spatial = ('W', 'HW', 'DHW')[n - 1]
    return ('NC' + spatial, 'N' + spatial + 'C')


def _check_pool_layout(layout, n):
    if layout not in _pool_layouts(n):
        raise AssertionError('Only {} layouts are valid for {}D Pooling'.format(
            ' and '.join(_pool_layouts(n)), n))


class _LocalPooling(_Pooling):
    def __init__(self, n, pool_type, pool_size, strides, padding, layout, ceil_mode,
                 count_include_pad=None, **kwargs):
        _check_pool_layout(layout, n)
        super().__init__(_tuple(pool_size, n, 'pool_size'), strides, padding, ceil_mode, False,
                         pool_type, layout, count_include_pad, **kwargs)


class _GlobalPooling(_Pooling):
    def __init__(self, n, pool_type, layout, **kwargs):
        _check_pool_layout(layout, n)
        super().__init__((1,) * n, None, 0, True, True, pool_type, layout, **kwargs)


class MaxPool1D(_LocalPooling):
    """Max pooling over the W axis."""

    def __init__(self, pool_size=2, strides=None, padding=0, layout='NCW', ceil_mode=False,
                 **kwargs):
        super().__init__(1, 'max', pool_size, strides, padding, layout, ceil_mode, **kwargs)


class MaxPool2D(_LocalPooling):
    """Max pooling over the H and W axes."""

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, layout='NCHW',
                 ceil_mode=False, **kwargs):
        super().__init__(2, 'max', pool_size, strides, padding, layout, ceil_mode, **kwargs)


class MaxPool3D(_LocalPooling):
    """Max pooling over the D, H and W axes."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout='NCDHW', **kwargs):
        super().__init__(3, 'max', pool_size, strides, padding, layout, ceil_mode, **kwargs)


class AvgPool1D(_LocalPooling):
    """Average pooling over the W axis (padding counted unless count_include_pad=False)."""

    def __init__(self, pool_size=2, strides=None, padding=0, layout='NCW', ceil_mode=False,
                 count_include_pad=True, **kwargs):
        super().__init__(1, 'avg', pool_size, strides, padding, layout, ceil_mode,
                         count_include_pad, **kwargs)


class AvgPool2D(_LocalPooling):
    """Average pooling over the H and W axes."""

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, ceil_mode=False,
                 layout='NCHW', count_include_pad=True, **kwargs):
        super().__init__(2, 'avg', pool_size, strides, padding, layout, ceil_mode,
                         count_include_pad, **kwargs)


class AvgPool3D(_LocalPooling):
    """Average pooling over the D, H and W axes."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout='NCDHW', count_include_pad=True, **kwargs):
        super().__init__(3, 'avg', pool_size, strides, padding, layout, ceil_mode,
                         count_include_pad, **kwargs)


class GlobalMaxPool1D(_GlobalPooling):
    """Max over the whole W axis (output width 1)."""

    def __init__(self, layout='NCW', **kwargs):
        super().__init__(1, 'max', layout, **kwargs)


class GlobalMaxPool2D(_GlobalPooling):
    """Max over the whole H and W axes (output 1x1)."""

    def __init__(self, layout='NCHW', **kwargs):
        super().__init__(2, 'max', layout, **kwargs)


class GlobalMaxPool3D(_GlobalPooling):
    """Max over the whole D, H and W axes."""

    def __init__(self, layout='NCDHW', **kwargs):
        super().__init__(3, 'max', layout, **kwargs)


class GlobalAvgPool1D(_GlobalPooling):
    """Mean over the whole W axis."""

    def __init__(self, layout='NCW', **kwargs):
        super().__init__(1, 'avg', layout, **kwargs)


class GlobalAvgPool2D(_GlobalPooling):
    """Mean over the whole H and W axes (output 1x1)."""

    def __init__(self, layout='NCHW', **kwargs):
        super().__init__(2, 'avg', layout, **kwargs)


class GlobalAvgPool3D(_GlobalPooling):
    """Mean over the whole D, H and W axes."""

    def __init__(self, layout='NCDHW', **kwargs):
        super().__init__(3, 'avg', layout, **kwargs)


class ReflectionPad2D(HybridBlock):
    """Pads the two spatial axes of an NCHW input by reflection."""

    def __init__(self, padding=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, numeric_types):
            padding = (0, 0, 0, 0, padding, padding, padding, padding)
        if len(padding) != 8:
            raise AssertionError('padding must be a number or 8 ints')
        self._padding = padding

    def hybrid_forward(self, F, x):
        return F.pad(x, mode='reflect', pad_width=self._padding)
