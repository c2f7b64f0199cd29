// logitfuzz survey adapter: @xenova/transformers (Transformers.js v2), softmax and log_softmax of
// its maths utilities.
//
//   softmax      → softmax(arr)      in @xenova/transformers/src/utils/maths.js
//   log_softmax  → log_softmax(arr)  in @xenova/transformers/src/utils/maths.js
//
// The library has no logsumexp, cross_entropy or cross_entropy_grad, so none is exported.
//
// Both are exported from the package root too (src/transformers.js), but the root loads
// onnxruntime-node and sharp, whose native parts are not installed here (npm ci
// --ignore-scripts). The adapter imports the module file itself by its file URL; maths.js imports
// nothing.
//
// Precision: plain JavaScript arithmetic (binary64) over whatever array it is given, results
// written back through arr.map into an array of the input's type:
//   softmax:      maxVal = max(arr) (a loop), exps = arr.map(x => Math.exp(x − maxVal)),
//                 sumExps = exps.reduce(+) (a left-to-right binary64 sum), exps.map(x => x / sumExps);
//   log_softmax:  softmax(arr).map(x => Math.log(x)) — the log of the rounded probabilities, so
//                 it is −Infinity wherever a probability underflows to 0 (unlike v3's
//                 x − max − log Σ).
// With a Float64Array (--format f64) everything is binary64. With a Float32Array (--format f32,
// what the library itself passes: tensor.data of f32 logits) each arr.map result is rounded to
// binary32 when stored: the exps, the probabilities, and (log_softmax) the logs of the binary32
// probabilities. Both formats are meaningful: f32 is how the library is used, f64 is the
// function on binary64 input.
//
// What the adapter does: passes logitfuzz's typed array x to the library function unchanged and
// returns the library's answer (an array of x's type) unchanged. No arithmetic of its own.

import { packageFileUrl, packageVersion } from './packages.mjs';

const PACKAGE = '@xenova/transformers';

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
