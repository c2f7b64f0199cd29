import { isRepresentable } from './roundNumber.js';
import { pow2 } from './pow2.js';
import type { FormatSpec } from './types.js';

const view = new DataView(new ArrayBuffer(8));

/**
 * The bit pattern of a value of `fmt`, as an unsigned bigint of `fmt.bits` bits.
 *
 * Special cases: NaN → the canonical quiet NaN of the format (sign 0, top fraction bit set);
 * −0 → sign bit only. A finite value not representable in `fmt` is a RangeError (round it first
 * with `roundNumber`): silently rounding here would hide a bug in the caller.
 */
export function toBits(fmt: FormatSpec, x: number): bigint {
  const fb = BigInt(fmt.fractionBits);
  const expMask = (1n << BigInt(fmt.exponentBits)) - 1n;
  if (x !== x) return (expMask << fb) | (1n << (fb - 1n));
  if (!isRepresentable(fmt, x)) throw new RangeError(`toBits: ${x} is not representable in ${fmt.name}`);
  if (fmt.name === 'f64') {
    view.setFloat64(0, x);
    return view.getBigUint64(0);
  }
  // Every narrower format's value is a binary32 value, so take binary32's fields and re-bias.
  view.setFloat32(0, x);
  const b32 = view.getUint32(0);
  if (fmt.name === 'f32') return BigInt(b32);
  if (fmt.name === 'bf16') return BigInt(b32 >>> 16); // bf16 is the top half of binary32
  // f16: rebuild from the value
  const sign = x < 0 || Object.is(x, -0) ? 1n : 0n;
  const a = Math.abs(x);
  let body: bigint;
  if (a === Infinity) body = expMask << fb;
  else if (a < fmt.minNormal)
    body = BigInt(a / fmt.minSubnormal); // exact: a is a multiple of minSubnormal
  else {
    let e = Math.floor(Math.log2(a));
    if (pow2(e) > a) e -= 1;
    else if (pow2(e + 1) <= a) e += 1;
    const frac = BigInt(a * pow2(fmt.fractionBits - e)) - (1n << fb);
    body = (BigInt(e + fmt.bias) << fb) | frac;
  }
  return (sign << BigInt(fmt.bits - 1)) | body;
}

/**
 * The value of a bit pattern of `fmt` (any unsigned integer below 2^bits; NaN payloads all map
 * to NaN).
 */
export function fromBits(fmt: FormatSpec, bits: bigint | number): number {
  const b = BigInt(bits);
  if (b < 0n || b >> BigInt(fmt.bits) !== 0n)
    throw new RangeError(`fromBits: ${b} is not a ${fmt.bits}-bit pattern`);
  if (fmt.name === 'f64') {
    view.setBigUint64(0, b);
    return view.getFloat64(0);
  }
  if (fmt.name === 'f32') {
    view.setUint32(0, Number(b));
    return view.getFloat32(0);
  }
  if (fmt.name === 'bf16') {
    view.setUint32(0, (Number(b) << 16) >>> 0);
    return view.getFloat32(0);
  }
  const n = Number(b);
  const sign = n >> 15 ? -1 : 1;
  const exp = (n >> 10) & 0x1f;
  const frac = n & 0x3ff;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  if (exp === 0) return sign * frac * fmt.minSubnormal;
  return sign * (1024 + frac) * pow2(exp - 25);
}
