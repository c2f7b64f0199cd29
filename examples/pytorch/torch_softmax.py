#!/usr/bin/env python3
"""PyTorch's softmax behind logitfuzz's JSON-lines protocol (not run in CI: needs torch).

    logitfuzz vet --exec 'python3 examples/pytorch/torch_softmax.py' --op softmax --format f32
    logitfuzz vet --exec 'python3 examples/pytorch/torch_softmax.py' --op log_softmax --format bf16

Each input line is {"id","op","format","x","label"}; each answer is {"id","y"}. Numbers are plain
JSON or the strings "inf", "-inf", "nan", "-0". The logits arrive as values of the format, so
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


def run(op, x, label):
    if op == "softmax":
        return torch.softmax(x, dim=-1)
    if op == "log_softmax":
        return torch.log_softmax(x, dim=-1)
    if op == "logsumexp":
        return torch.logsumexp(x, dim=-1).reshape(1)
    target = torch.tensor([label])
    if op == "cross_entropy":
        return torch.nn.functional.cross_entropy(x.reshape(1, -1), target, reduction="sum").reshape(1)
    if op == "cross_entropy_grad":
        xr = x.reshape(1, -1).clone().requires_grad_(True)
        torch.nn.functional.cross_entropy(xr, target, reduction="sum").backward()
        return xr.grad.reshape(-1)
    raise ValueError(f"unknown op {op}")


for line in sys.stdin:
    if not line.strip():
        continue
    msg = json.loads(line)
    x = torch.tensor([decode(v) for v in msg["x"]], dtype=torch.float64).to(DTYPES[msg["format"]])
    with torch.enable_grad():
        y = run(msg["op"], x, msg.get("label"))
    out = [encode(float(v)) for v in y.detach().to(torch.float64).tolist()]
    sys.stdout.write(json.dumps({"id": msg["id"], "y": out}) + "\n")
    sys.stdout.flush()
