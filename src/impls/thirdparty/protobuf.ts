/**
 * A minimal protocol-buffers writer: just enough to encode an ONNX model by hand
 * (https://protobuf.dev/programming-guides/encoding/).
 *
 * A message is a sequence of fields, each a key `(field_number << 3) | wire_type` written as a
 * varint, followed by the value. Wire type 0 (VARINT): the value as a base-128 varint, low
 * groups of 7 bits first, the high bit of each byte set when more follow; an int64/int32 with a
 * negative value is written as its 64-bit two's complement, so always 10 bytes (−1 is
 * ff ff ff ff ff ff ff ff ff 01). Wire type 2 (LEN): a varint byte length, then the bytes
 * (strings are UTF-8, embedded messages are their own encoding). Field order does not matter to
 * a parser, and repeated fields are just written again.
 */
export class ProtoWriter {
  private readonly bytes: number[] = [];

  /** An unsigned or signed integer as a varint (int32/int64/uint64/enum/bool semantics). */
  private varint(value: number | bigint): void {
    let v = BigInt(value);
    if (v < 0n) v = BigInt.asUintN(64, v);
    if (v >= 1n << 64n) throw new RangeError(`varint out of range: ${value}`);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.bytes.push(byte);
    } while (v !== 0n);
  }

  private key(field: number, wireType: 0 | 2): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff)
      throw new RangeError(`bad field number ${field}`);
    this.varint(field * 8 + wireType);
  }

  /** An int32/int64/enum field (wire type 0). Must be an integer. */
  int(field: number, value: number | bigint): this {
    if (typeof value === 'number' && !Number.isSafeInteger(value))
      throw new RangeError(`not a safe integer: ${value}`);
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  /** A bytes field (wire type 2). */
  bytesField(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    for (const b of value) this.bytes.push(b);
    return this;
  }

  /** A string field (wire type 2, UTF-8). */
  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  /** An embedded message field (wire type 2), built by `build` on a fresh writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
