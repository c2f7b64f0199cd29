#!/usr/bin/env python3
"""PyTorch's softmax family behind logitfuzz's `vet --exec` protocol (CPU).

    logitfuzz vet --exec '/usr/bin/python3 survey/python/torch_nn.py' --op cross_entropy --format bf16

The rows go to torch as one [B, n] tensor of the format's dtype (B = 1 for a single-row request):
    softmax             torch.softmax(x, dim=-1)
    log_softmax         torch.log_softmax(x, dim=-1)
    logsumexp           torch.logsumexp(x, dim=-1)
    cross_entropy       torch.nn.functional.cross_entropy(x, labels, reduction="none")
    cross_entropy_grad  the gradient w.r.t. x, by autograd, of cross_entropy(x, labels,
                        reduction="sum") (the sum of the rows' losses: each row's gradient is
                        its own loss's)
Formats: f64, f32, bf16, f16 (torch.float64, float32, bfloat16, float16). Each (op, format) is
probed once with a tiny tensor; where the CPU build lacks the kernel (Debian's torch 1.13 has
no Half softmax, log_softmax or exp on CPU) it is unavailable, with torch's message. The answer
is torch's own tensor in the format's dtype, converted to float64 (exact). Protocol:
logitfuzz_protocol.py. Replaces examples/pytorch/torch_softmax.py.
"""

import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from logitfuzz_protocol import Unavailable, main  # noqa: E402

# one intra-op thread, so that a reduction's order (and so the survey's findings) does not depend
# on the machine's core count: the survey is a document others rerun
torch.set_num_threads(1)

DTYPES = {"f64": torch.float64, "f32": torch.float32, "bf16": torch.bfloat16, "f16": torch.float16}


def compute(op, x, labels):
    """op over the last dim of the [B, n] tensor x; labels: a class index per row."""
    if op == "softmax":
        return torch.softmax(x, dim=-1)
    if op == "log_softmax":
        return torch.log_softmax(x, dim=-1)
    if op == "logsumexp":
        return torch.logsumexp(x, dim=-1)
    if op in ("cross_entropy", "cross_entropy_grad"):
        if labels is None:
            raise ValueError(f"{op} needs labels")
        target = torch.tensor(labels, dtype=torch.long)
        if op == "cross_entropy":
            return F.cross_entropy(x, target, reduction="none")
        xr = x.detach().clone().requires_grad_(True)
        with torch.enable_grad():
            F.cross_entropy(xr, target, reduction="sum").backward()
        return xr.grad
    raise Unavailable(f"unknown op {op}")


_probed = {}


def probe(op, fmt):
    """None when torch runs op in fmt on a tiny tensor, else why not (cached)."""
    if (op, fmt) not in _probed:
        try:
            compute(op, torch.tensor([[0.0, 1.0]], dtype=DTYPES[fmt]), [0])
            _probed[op, fmt] = None
        except Unavailable as e:
            _probed[op, fmt] = e.reason
        except Exception as e:  # noqa: BLE001 - torch's own message is the reason
            _probed[op, fmt] = f"torch {torch.__version__} (CPU) cannot run {op} in {fmt}: {e}"
    return _probed[op, fmt]


def run(op, fmt, x_rows, labels):
    if fmt not in DTYPES:
        raise Unavailable(f"unknown format {fmt}")
    reason = probe(op, fmt)
    if reason is not None:
        raise Unavailable(reason)
    n = len(x_rows[0]) if x_rows else 0
    # float64 holds the logits exactly; the cast to the format's dtype is exact
    x = torch.tensor(x_rows, dtype=torch.float64).reshape(len(x_rows), n).to(DTYPES[fmt])
    y = compute(op, x, labels)
    return y.detach().to(torch.float64).reshape(-1)


def versions():
    return {"torch": torch.__version__}


if __name__ == "__main__":
    main(run, versions)
