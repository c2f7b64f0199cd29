/**
 * How a batch's bytes reach the page and come back. Small batches travel inside the call itself
 * (`page.evaluate`'s argument and result: one round trip); large ones over the loopback server
 * (`LoopbackServer.exchange`: the page fetches the input and posts the output), because a typed
 * array through `page.evaluate` crosses at a few MB/s (docs/gpu.md). The campaign's shrinking
 * and short rows make most calls small, where the two extra HTTP requests would cost more than
 * the bytes.
 */
import type { LoopbackServer } from './server.js';

/** Inputs up to this many bytes go inside the call (a 16,384-logit f32 row). */
const INLINE_BYTES = 64 * 1024;

/** What a page function gets: the input itself, or where to fetch it and post the output. */
export type PageTransfer =
  | { readonly x: Uint8Array; readonly inUrl?: undefined; readonly outUrl?: undefined }
  | { readonly x?: undefined; readonly inUrl: string; readonly outUrl: string };

/**
 * Calls `call` with `input` inline or through an exchange (see the header) and returns the output
 * bytes: what the page function returned (inline), or what it posted (it returns null then).
 */
export async function withBytes(
  server: LoopbackServer,
  input: Uint8Array,
  call: (t: PageTransfer) => Promise<Uint8Array | null>,
): Promise<Uint8Array> {
  if (input.byteLength <= INLINE_BYTES) {
    const out = await call({ x: input });
    if (out === null) throw new Error('the page returned no output');
    return out;
  }
  const ex = server.exchange(input);
  try {
    await call({ inUrl: ex.inUrl, outUrl: ex.outUrl });
  } catch (e) {
    ex.close();
    throw e;
  }
  return ex.take();
}
