// logitfuzz survey adapter: @huggingface/transformers (Transformers.js v3), softmax and
// log_softmax of its maths utilities.
//
//   softmax      → softmax(arr)      in @huggingface/transformers/src/utils/maths.js
//   log_softmax  → log_softmax(arr)  in @huggingface/transformers/src/utils/maths.js
//
// The library has no logsumexp, cross_entropy or cross_entropy_grad, so none is exported.
//
// Both functions are exported from the package root too, but the root ("exports" → for Node
// dist/transformers.node.mjs, a bundle) loads onnxruntime-node and sharp, whose native parts are
// not installed here (npm ci --ignore-scripts). The adapter imports the source module file itself
// by its file URL (the "exports" map has no subpath for it); maths.js imports nothing. The bundle's
// softmax and log_softmax are the same code (checked against dist/transformers.node.mjs of 3.8.1).
//
// Precision: plain JavaScript arithmetic (Math.exp, Math.log, +, −, / in binary64) over whatever
// array it is given, with results written back through arr.map into an array of the input's type:
//   softmax:      maxVal = max(arr) (a loop), exps = arr.map(x => Math.exp(x − maxVal)),
//                 sumExps = exps.reduce(+) (a left-to-right binary64 sum), exps.map(x => x / sumExps);
//   log_softmax:  maxVal, a left-to-right binary64 sum of Math.exp(arr[i] − maxVal),
//                 logSum = Math.log(sum), arr.map(x => x − maxVal − logSum).
// With a Float64Array (--format f64) everything is binary64. With a Float32Array (--format f32,
// and what the library itself passes: tensor.data of f32 logits) every arr.map result is rounded to
// binary32 when stored — for softmax the exps before they are summed, then the quotients; for
// log_softmax only the final differences. Both formats are meaningful: f32 is how the library is
// used, f64 is the function on binary64 input.
//
// What the adapter does: passes logitfuzz's typed array x to the library function unchanged and
// returns the library's answer (an array of x's type) unchanged. No arithmetic of its own.

import { packageFileUrl, packageVersion } from './packages.mjs';

const PACKAGE = '@huggingface/transformers';

const maths = await import(packageFileUrl(PACKAGE, 'src/utils/maths.js'));

/** The library's package version, read from its installed package.json. */
export const versions = { [PACKAGE]: packageVersion(PACKAGE) };

/** maths.softmax(x), as it returns it. */
export function softmax(x) {
  return maths.softmax(x);
}

/** maths.log_softmax(x), as it returns it. */
export function log_softmax(x) {
  return maths.log_softmax(x);
}
