#!/usr/bin/env python3
"""scikit-learn's softmax and log-loss pipeline behind logitfuzz's `vet --exec` protocol.

    logitfuzz vet --exec '/usr/bin/python3 survey/python/sklearn_extmath.py' --op cross_entropy

    softmax        sklearn.utils.extmath.softmax(X): X must be 2-D [M, N] (it reduces over
                   axis 1), so the rows go to it as one [B, n] array; it works in place on X
                   when copy=False (subtracts the row max, exponentiates and divides in X) and
                   on a copy with the default copy=True, which is what is called here.
    cross_entropy  the pipeline users write: that softmax, then, per row,
                   sklearn.metrics.log_loss([label], probabilities[None, :], labels=range(n))
                   (labels= so that log_loss knows every class). log_loss clips the
                   probabilities to [eps, 1 - eps] (eps="auto": the dtype's machine epsilon)
                   and renormalizes them before taking the log; that is part of what is vetted,
                   not worked around. It refuses n = 1 (fewer than two classes) and
                   probabilities with NaN or Inf (ValueError: an "error" answer).
Formats: f64 and f32 (numpy float64 / float32). The softmax keeps float32 (measured); log_loss
on float32 probabilities clips with float32's eps but returns a float64 loss (its
xlogy(int labels, probabilities) is float64), which logitfuzz rounds into f32 when judging.
Other formats and ops are unavailable: f16 and bf16 (out of this survey's sklearn scope; numpy
has no bfloat16), log_softmax, logsumexp, cross_entropy_grad (sklearn has no public one).
Protocol: logitfuzz_protocol.py.
"""

import sys

import numpy as np
import scipy
import sklearn
from sklearn.metrics import log_loss
from sklearn.utils.extmath import softmax

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from logitfuzz_protocol import Unavailable, main  # noqa: E402

DTYPES = {"f64": np.float64, "f32": np.float32}


def run(op, fmt, x_rows, labels):
    if op not in ("softmax", "cross_entropy"):
        raise Unavailable(f"scikit-learn has no public {op}")
    if fmt not in DTYPES:
        raise Unavailable(f"the survey vets scikit-learn in f64 and f32 only, not {fmt}")
    n = len(x_rows[0]) if x_rows else 0
    # float64 holds the logits exactly; the cast to the format's dtype is exact
    x = np.array(x_rows, dtype=np.float64).reshape(len(x_rows), n).astype(DTYPES[fmt])
    p = softmax(x)  # copy=True: x is left alone
    if op == "softmax":
        return p.astype(np.float64).reshape(-1)
    if labels is None:
        raise ValueError("cross_entropy needs labels")
    return [float(log_loss([k], p[i : i + 1, :], labels=range(n))) for i, k in enumerate(labels)]


def versions():
    return {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


if __name__ == "__main__":
    main(run, versions)
