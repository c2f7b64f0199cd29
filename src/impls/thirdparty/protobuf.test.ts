import { describe, expect, test } from 'vitest';
import { ProtoWriter } from './protobuf.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

// Expected bytes from the encoding guide (https://protobuf.dev/programming-guides/encoding/):
// key = field_number << 3 | wire_type; varints little-endian in 7-bit groups.
describe('ProtoWriter', () => {
  test("varint fields: the guide's 150 example, one-byte, multi-byte and 64-bit values", () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('08 96 01');
    expect(hex(new ProtoWriter().int(2, 0).finish())).toBe('10 00');
    expect(hex(new ProtoWriter().int(1, 127).int(1, 128).finish())).toBe('08 7f 08 80 01');
    expect(hex(new ProtoWriter().int(1, 2n ** 63n - 1n).finish())).toBe('08 ff ff ff ff ff ff ff ff 7f');
  });

  test("negative int64 is its 64-bit two's complement: 10 bytes", () => {
    expect(hex(new ProtoWriter().int(3, -1).finish())).toBe('18 ff ff ff ff ff ff ff ff ff 01');
    expect(hex(new ProtoWriter().int(1, -2).finish())).toBe('08 fe ff ff ff ff ff ff ff ff 01');
  });

  test('large field numbers take a multi-byte key (field 20, wire type 0 → a0 01)', () => {
    expect(hex(new ProtoWriter().int(20, 2).finish())).toBe('a0 01 02');
  });

  test('strings are UTF-8 with a byte length (the guide\'s "testing" example, and a non-ASCII one)', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
    expect(hex(new ProtoWriter().string(1, '−').finish())).toBe('0a 03 e2 88 92');
  });

  test("embedded messages are length-delimited (the guide's Test3 { c: Test1 { a: 150 } })", () => {
    expect(hex(new ProtoWriter().message(3, (w) => w.int(1, 150)).finish())).toBe('1a 03 08 96 01');
  });

  test('a message longer than 127 bytes has a two-byte length', () => {
    const bytes = new ProtoWriter().message(1, (w) => w.string(1, 'x'.repeat(200))).finish();
    // inner = 0a c8 01 + 200 bytes = 203 bytes = 0xcb 0x01
    expect(hex(bytes.subarray(0, 6))).toBe('0a cb 01 0a c8 01');
    expect(bytes.length).toBe(3 + 203);
  });

  test('rejects what protobuf cannot encode', () => {
    expect(() => new ProtoWriter().int(0, 1)).toThrow(RangeError);
    expect(() => new ProtoWriter().int(1, 1.5)).toThrow(RangeError);
    expect(() => new ProtoWriter().int(1, 2n ** 64n)).toThrow(RangeError);
  });
});
