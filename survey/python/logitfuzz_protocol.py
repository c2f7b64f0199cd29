"""logitfuzz's `vet --exec` JSON-lines protocol, shared by the survey's Python adapters.

An adapter is a script that defines `run(op, fmt, x_rows, labels)` and `versions()` and calls
`main(run, versions)`:

    /usr/bin/python3 survey/python/ADAPTER.py             serve requests on stdin
    /usr/bin/python3 survey/python/ADAPTER.py --versions  print {"pkg": "version", ...}, exit 0

Requests (docs/design.md, "Programs in any language"), one JSON object a line on stdin:

    {"id", "op", "format", "x", "label"}                  one row (label: cross-entropy ops only)
    {"id", "op", "format", "shape": [B, n], "x", "labels"}  vet --exec --batch: B rows of n,
                                                           x flat row-major, one label a row

Answers, one JSON object a line on stdout, flushed after each:

    {"id", "y"}                 y flat: B*n numbers, or B for logsumexp and cross_entropy
    {"id", "unavailable": why}  EXTENSION: the adapter cannot do this (op, format) at all (the
                                library has no such op, or the dtype is not supported by its
                                build); raised by `run` as `Unavailable(why)`. logitfuzz sends
                                one small request first (logits [0, 1], label 0); this answer to
                                it makes the implementation unavailable with that reason (`vet`
                                exits 2 naming it; the survey records the pair as unavailable).
    {"id", "error": message}    EXTENSION: any other exception (its traceback goes to stderr);
                                logitfuzz fails that call: a `crash` finding with the message.

Numbers use logitfuzz's JSON codec (src/formats/jsonNumber.ts): finite values and +0 are plain
JSON numbers, +Inf, -Inf, NaN and -0 the strings "inf", "-inf", "nan", "-0". Decoding reads a
JSON number as the nearest binary64 (the logits arrive as values of the format, so they are
exact, and converting them to the format's dtype is exact too). Encoding takes Python floats
(binary64): an adapter converts the library's answer to float64 first, which is exact for
f64, f32, f16 and bf16, and json.dumps writes float's repr, the shortest text that round-trips.

`x_rows` is a list of B lists of n Python floats (B = 1 for a single-row request); `labels` a
list of B ints, or None for the ops without a label. `run` returns the answer as an iterable
of numbers, flat or one sequence per row (numpy arrays and torch tensors: via .tolist()); the
loop flattens it and converts every element with float(). The answer's length is not checked
here: a library that answers with the wrong length is for logitfuzz to report.

stdout carries nothing but protocol lines: the loop writes them on a duplicate of file
descriptor 1 and points descriptor 1 and sys.stdout at stderr, so that whatever a library prints
(from Python or from C) goes to stderr.
"""

import json
import math
import os
import sys
import traceback

_SPECIAL = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan, "-0": -0.0}


class Unavailable(Exception):
    """The adapter cannot do this (op, format): answered {"id", "unavailable": reason}."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = str(reason)


def decode_number(v):
    """A codec value (JSON number or "inf", "-inf", "nan", "-0") as a Python float."""
    if isinstance(v, bool):
        raise ValueError(f"not a number in the JSON codec: {v!r}")
    if isinstance(v, str):
        if v in _SPECIAL:
            return _SPECIAL[v]
        raise ValueError(f"not a number in the JSON codec: {v!r}")
    if isinstance(v, (int, float)):
        return float(v)
    raise ValueError(f"not a number in the JSON codec: {v!r}")


def encode_number(v):
    """A number as the codec writes it: a float for json.dumps, or "inf", "-inf", "nan", "-0"."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1.0, v) < 0:
        return "-0"
    return v


def _flatten(y):
    if hasattr(y, "tolist"):
        y = y.tolist()
    if isinstance(y, (list, tuple)):
        out = []
        for v in y:
            out.extend(_flatten(v))
        return out
    return [y]


def parse_request(msg):
    """(op, format, x_rows, labels) of a request object."""
    op, fmt = msg["op"], msg["format"]
    x = [decode_number(v) for v in msg["x"]]
    if "shape" in msg:
        b, n = msg["shape"]
        if b * n != len(x):
            raise ValueError(f"shape {msg['shape']} does not match {len(x)} values")
        rows = [x[i * n : (i + 1) * n] for i in range(b)]
        labels = msg.get("labels")
    else:
        rows = [x]
        labels = [msg["label"]] if msg.get("label") is not None else None
    if labels is not None:
        labels = [int(k) for k in labels]
    return op, fmt, rows, labels


def answer(msg, run):
    """The answer object to one request object."""
    rid = msg.get("id") if isinstance(msg, dict) else None
    try:
        op, fmt, rows, labels = parse_request(msg)
        y = run(op, fmt, rows, labels)
        return {"id": rid, "y": [encode_number(v) for v in _flatten(y)]}
    except Unavailable as e:
        return {"id": rid, "unavailable": e.reason}
    except Exception as e:  # noqa: BLE001 - every failure is an answer, not an exit
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        return {"id": rid, "error": f"{type(e).__name__}: {e}"}


def serve(run, stdin=None):
    """Answers request lines from stdin until it closes."""
    stdin = stdin or sys.stdin
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
        except ValueError as e:
            traceback.print_exc(file=sys.stderr)
            msg, reply = None, {"id": None, "error": f"request is not JSON: {e}"}
        if msg is not None:
            reply = answer(msg, run)
        out.write(json.dumps(reply, allow_nan=False) + "\n")
        out.flush()


def main(run, versions):
    """An adapter's entry point: --versions prints versions() as one JSON line, else serve."""
    if sys.argv[1:] == ["--versions"]:
        sys.stdout.write(json.dumps(versions()) + "\n")
        sys.stdout.flush()
        return
    if sys.argv[1:]:
        sys.stderr.write(f"usage: {sys.argv[0]} [--versions]\n")
        sys.exit(2)
    serve(run)
