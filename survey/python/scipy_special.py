#!/usr/bin/env python3
"""scipy.special's softmax, log_softmax and logsumexp behind logitfuzz's `vet --exec` protocol.

    logitfuzz vet --exec '/usr/bin/python3 survey/python/scipy_special.py' --op softmax --format f32

The rows go to scipy as one [B, n] numpy array of the format's dtype, reduced over axis=-1.
f64 and f32: numpy float64 / float32. scipy 1.10 keeps float32 (measured: softmax, log_softmax
and logsumexp of a float32 array return float32, computed in float32), so an f32 answer is
scipy's own float32 result. f16: numpy float16, which scipy accepts and keeps (float16
answers). bf16: unavailable (numpy has no bfloat16). The cross-entropy ops: unavailable
(scipy.special has none). Protocol: logitfuzz_protocol.py.
"""

import sys

import numpy as np
import scipy
import scipy.special

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from logitfuzz_protocol import Unavailable, main  # noqa: E402

DTYPES = {"f64": np.float64, "f32": np.float32, "f16": np.float16}
OPS = {
    "softmax": scipy.special.softmax,
    "log_softmax": scipy.special.log_softmax,
    "logsumexp": scipy.special.logsumexp,
}


def run(op, fmt, x_rows, labels):
    if op not in OPS:
        raise Unavailable(f"scipy.special has no {op}")
    if fmt not in DTYPES:
        raise Unavailable(f"numpy has no dtype for {fmt}" if fmt == "bf16" else f"unknown format {fmt}")
    # float64 holds the logits exactly; the cast to the format's dtype is exact
    n = len(x_rows[0]) if x_rows else 0
    x = np.array(x_rows, dtype=np.float64).reshape(len(x_rows), n).astype(DTYPES[fmt])
    y = OPS[op](x, axis=-1)
    return np.asarray(y).astype(np.float64).reshape(-1)


def versions():
    return {"scipy": scipy.__version__, "numpy": np.__version__}


if __name__ == "__main__":
    main(run, versions)
