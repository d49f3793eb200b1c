"""Fixtures for tests/test_gluon_data.py, written by real MXNet 1.9.1.

``records()`` and ``image()`` are plain data the test rebuilds under mxnet-compat.  The
recorder writes, under ``tests/fixtures/gluon/``:

* ``ref.rec`` / ``ref.idx``  ``MXIndexedRecordIO.write_idx`` of ``records()``, keys 0..n-1
* ``ref_plain.rec``           ``MXRecordIO.write`` of the same records
* ``transforms.nd``           the image and the reference's outputs of deterministic image
  operations: CenterCrop, and the colour ops with their random factor pinned
  (``random_brightness(x, f, f)`` ...), which is what the Random* transforms draw from

Record (from /tmp, so that the real ``mxnet`` is imported):

    cd /tmp && /root/.cache/mxnet-oracle/bin/python /work/main/tests/goldens/record_gluon_data.py
"""
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), 'fixtures', 'gluon')
MAGIC = struct.pack('<I', 0xced7230a)

# Pinned factors: (operator, transform, factor)
COLOR_CASES = [('random_brightness', 0.6), ('random_brightness', 1.3),
               ('random_contrast', 0.5), ('random_contrast', 1.4),
               ('random_saturation', 0.3), ('random_saturation', 1.5),
               ('random_hue', 0.8), ('random_hue', 1.25)]
LIGHTING_ALPHAS = [(0.1, -0.2, 0.05), (-0.5, 0.3, 0.9)]
CROP_CASES = [(3, 2), (4, 4), (5, 1)]          # (W, H) that fit in the 6x5 image


def records(pack):
    """Record payloads covering the format's corners: empty, unaligned lengths, the magic
    word at aligned offsets (split into parts) and unaligned (not split), image headers
    with scalar and array labels."""
    out = [b'', b'a', b'ab', b'abc', b'abcd', b'hello world',
           MAGIC, MAGIC + b'xy', b'1234' + MAGIC + b'5678' + MAGIC + MAGIC + b'z',
           b'x' + MAGIC + b'yyy', bytes(range(256)) * 3]
    out.append(pack((0, 3.5, 7, 0), b'payload'))
    out.append(pack((0, [1.0, 2.5, -3.0], 8, 9), b'with array label'))
    out.append(pack((0, 1.0, 2 ** 40, 2 ** 63), MAGIC * 2))
    return out


def image():
    """A small float32 HWC image with values in [0, 255]."""
    return np.random.RandomState(3).uniform(0, 255, (5, 6, 3)).astype('float32')


def main():
    import mxnet as mx
    from mxnet.gluon.data.vision import transforms
    os.makedirs(FIXTURES, exist_ok=True)
    recs = records(mx.recordio.pack)
    w = mx.recordio.MXIndexedRecordIO(os.path.join(FIXTURES, 'ref.idx'),
                                      os.path.join(FIXTURES, 'ref.rec'), 'w')
    for i, r in enumerate(recs):
        w.write_idx(i, r)
    w.close()
    w = mx.recordio.MXRecordIO(os.path.join(FIXTURES, 'ref_plain.rec'), 'w')
    for r in recs:
        w.write(r)
    w.close()

    x = mx.nd.array(image())
    out = {'image': x}
    for op, f in COLOR_CASES:
        out['%s_%g' % (op, f)] = getattr(mx.nd.image, op)(x, f, f)
    for alpha in LIGHTING_ALPHAS:
        out['lighting_%g_%g_%g' % alpha] = mx.nd.image.adjust_lighting(x, alpha=alpha)
    xu = x.astype('uint8')
    out['image_uint8'] = xu
    for size in CROP_CASES:
        out['center_crop_%d_%d' % size] = transforms.CenterCrop(size)(xu)
    mx.nd.save(os.path.join(FIXTURES, 'transforms.nd'), out)
    print(sorted(out))


if __name__ == '__main__':
    main()
