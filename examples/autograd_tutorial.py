"""Demo: the steps of MXNet's "Automatic differentiation with autograd" tutorial.

Run with ``python examples/autograd_tutorial.py``.  The calls are the ones the
tutorial makes (``nd.array``, ``attach_grad``, ``autograd.record``, ``backward``,
``.grad``, a data-dependent ``while`` loop); the printed arrays are what MXNet
1.9.1 prints for the same calls (random draws differ: MXNet's generator is not
reproduced bit for bit).  Nothing here is specific to mxnet-compat.
"""
from mxnet import nd
from mxnet import autograd


def show(title, value):
    print('## ' + title)
    print(value)
    print()


# 1. A variable: f(x) = 2 x^2, whose gradient is 4x.
x = nd.array([[1, 2], [3, 4]])
show('x', x)
x.attach_grad()                      # a buffer for the gradient
with autograd.record():              # record the computation ...
    y = 2 * x ** 2
y.backward()                         # ... and differentiate it (y is summed)
show('x.grad (expected 4 * x)', x.grad)


# 2. Python control flow: the recorded graph is whatever ran.
def f(a):
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    if b.sum().asscalar() >= 0:
        c = b[0]
    else:
        c = b[1]
    return c


a = nd.random.uniform(shape=2)
a.attach_grad()
with autograd.record():
    c = f(a)
c.backward()
# c is linear in a and uses one element: its gradient is c/a there and 0 elsewhere.
show('[a.grad, c/a]', [a.grad, c / a])
