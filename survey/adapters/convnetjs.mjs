// logitfuzz survey adapter: convnetjs, its SoftmaxLayer (the classifier layer that ends a Net).
//
//   softmax             → SoftmaxLayer.prototype.forward(V) in convnetjs/build/convnet.js: the w
//                         of the Vol it returns (the probabilities).
//   cross_entropy       → SoftmaxLayer.prototype.backward(y) after forward(V): its return value,
//                         −Math.log(es[y]), the loss (negative log likelihood, in nats).
//   cross_entropy_grad  → the same backward(y): the gradient it writes into the input Vol,
//                         V.dw[i] = −((i === y ? 1 : 0) − es[i]).
//
// convnetjs has no log_softmax or logsumexp. Vol and SoftmaxLayer are exported from the package
// root (build/convnet.js, the package's "main", CommonJS), which the adapter require()s.
//
// Precision: binary64 throughout. convnetjs allocates with global.zeros, a Float64Array where
// ArrayBuffer exists (always in Node); forward takes the max with a loop from V.w[0], sums
// Math.exp(w − max) left to right in a binary64 variable and divides each by the sum; backward
// works on those binary64 probabilities. The right logitfuzz format is f64 (f32 inputs would be
// computed on in binary64 and answered in binary64).
//
// What the adapter does: builds the library's own input object, new Vol(array) — the 1×1×n
// volume a classifier's scores are — from a plain Array copy of x (Vol's list constructor
// accepts only an Array, and copies it into its Float64Array), and a SoftmaxLayer({ in_sx: 1,
// in_sy: 1, in_depth: n }); runs forward(V) and, for the cross-entropy ops, backward(label). It
// returns the library's values (A.w, the loss, V.dw) unchanged. No arithmetic of its own.

import { packageVersion, requirePackageFile } from './packages.mjs';

const PACKAGE = 'convnetjs';

const convnetjs = requirePackageFile(PACKAGE, 'build/convnet.js');

/** The library's package version, read from its installed package.json. */
export const versions = { [PACKAGE]: packageVersion(PACKAGE) };

/** A SoftmaxLayer for x.length classes, run forward on the 1×1×n Vol of x. */
function forward(x) {
  const input = new convnetjs.Vol(Array.from(x));
  const layer = new convnetjs.SoftmaxLayer({ in_sx: 1, in_sy: 1, in_depth: x.length });
  const output = layer.forward(input, false);
  return { input, layer, output };
}

/** The probabilities SoftmaxLayer.forward returns (its output Vol's w). */
export function softmax(x) {
  return forward(x).output.w;
}

/** The loss SoftmaxLayer.backward(label) returns. */
export function cross_entropy(x, label) {
  return forward(x).layer.backward(label);
}

/** The gradient SoftmaxLayer.backward(label) writes into the input Vol (its dw). */
export function cross_entropy_grad(x, label) {
  const { input, layer } = forward(x);
  layer.backward(label);
  return input.dw;
}
