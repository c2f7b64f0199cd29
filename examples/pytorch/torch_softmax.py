#!/usr/bin/env python3
"""PyTorch's softmax behind logitfuzz's JSON-lines protocol (not run in CI: needs torch).

    logitfuzz vet --exec 'python3 examples/pytorch/torch_softmax.py' --op softmax --format f32
    logitfuzz vet --exec 'python3 examples/pytorch/torch_softmax.py' --op log_softmax --format bf16
    logitfuzz vet --exec 'python3 examples/pytorch/torch_softmax.py' --batch --op cross_entropy

Each input line is {"id","op","format","x","label"} (one row), or with --batch
{"id","op","format","shape":[B,n],"x","labels"} (B rows flat row-major, run as one [B, n] tensor);
each answer is {"id","y"}, y flat. Numbers are plain JSON or the strings "inf", "-inf", "nan", "-0". The logits arrive as values of the format, so
converting them to the matching torch dtype is exact; the answer is converted to float64 (exact)
and written with repr-exact JSON.
"""
import json
import math
import sys

import torch

DTYPES = {"f64": torch.float64, "f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def decode(v):
    return {"inf": math.inf, "-inf": -math.inf, "nan": math.nan, "-0": -0.0}.get(v, v) if isinstance(v, str) else float(v)


def encode(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1.0, v) < 0:
        return "-0"
    return v


def run(op, x, labels):
    """op over the last dim of x (one row, or a [B, n] batch); labels: a class index per row."""
    if op == "softmax":
        return torch.softmax(x, dim=-1)
    if op == "log_softmax":
        return torch.log_softmax(x, dim=-1)
    if op == "logsumexp":
        return torch.logsumexp(x, dim=-1)
    target = torch.tensor(labels, dtype=torch.long)
    x = x if x.dim() == 2 else x.reshape(1, -1)
    if op == "cross_entropy":
        return torch.nn.functional.cross_entropy(x, target, reduction="none")
    if op == "cross_entropy_grad":
        # the sum of the rows' losses: each row's gradient is its own loss's
        xr = x.clone().requires_grad_(True)
        torch.nn.functional.cross_entropy(xr, target, reduction="sum").backward()
        return xr.grad
    raise ValueError(f"unknown op {op}")


for line in sys.stdin:
    if not line.strip():
        continue
    msg = json.loads(line)
    x = torch.tensor([decode(v) for v in msg["x"]], dtype=torch.float64).to(DTYPES[msg["format"]])
    if "shape" in msg:  # vet --exec --batch: B rows flat row-major
        x, labels = x.reshape(msg["shape"]), msg.get("labels")
    else:
        labels = [msg.get("label")]
    with torch.enable_grad():
        y = run(msg["op"], x, labels)
    out = [encode(float(v)) for v in y.detach().to(torch.float64).reshape(-1).tolist()]
    sys.stdout.write(json.dumps({"id": msg["id"], "y": out}) + "\n")
    sys.stdout.flush()
