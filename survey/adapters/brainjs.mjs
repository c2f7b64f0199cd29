// logitfuzz survey adapter: brain.js, the softmax of its recurrent networks (RNN, LSTM, GRU) and
// the gradient its training writes into the output logits.
//
//   softmax             → softmax(m) in brain.js/dist/recurrent/matrix/softmax.js (default
//                         export), on a Matrix of brain.js/dist/recurrent/matrix/index.js; the
//                         answer is the weights of the Matrix it returns.
//   cross_entropy_grad  → Equation.prototype.predictTargetIndex(input, target) in
//                         brain.js/dist/recurrent/matrix/equation.js: it runs the equation, calls
//                         the same softmax on its output Matrix and writes the gradient of the
//                         loss into that Matrix's deltas, deltas = probabilities.weights.slice(0);
//                         deltas[target] −= 1. The answer is those deltas.
//
// predictTargetIndex returns −Math.log2(probabilities.weights[target]): the loss in bits, not
// logitfuzz's cross_entropy (nats), so cross_entropy is not exported (rescaling it by ln 2 would
// be arithmetic of the adapter's own). brain.js has no log_softmax or logsumexp.
//
// These functions are not exported from the package root (index.js exports the networks), so the
// adapter require()s the dist module files (CommonJS, no "exports" map).
//
// Precision: binary32 storage, binary64 arithmetic. A Matrix holds its weights and deltas in
// Float32Array (utilities/zeros.js: new Float32Array(size)). softmax takes maxVal as the largest
// weight starting from −999999 (so a row whose logits are all below −999999 is shifted by
// −999999, not by its max), stores Math.exp(w − maxVal) into a Float32Array (rounded to binary32),
// sums those binary32 values left to right in a binary64 variable and divides each stored value by
// the sum, storing the quotient in binary32. The gradient p − 1 at the target is computed in
// binary64 from the binary32 p and stored in binary32. The right logitfuzz format to vet it in is
// therefore f32 (in f64 the adapter's Matrix would round the input logits to binary32 first).
//
// What the adapter does: builds the library's own input object, Matrix.fromJSON({ rows: n,
// columns: 1, weights: x }) — the column vector an RNN's output is — which copies x into the
// Matrix's Float32Array. For cross_entropy_grad it builds an Equation whose one state is
// equation.input(matrix), sets equation.inputValue to the matrix's weights (what runInput does;
// predictTargetIndex runs the equation through runIndex, which does not set it) and calls
// predictTargetIndex(0, label). It returns the library's Float32Array (weights or deltas)
// unchanged. No arithmetic of its own.

import { packageVersion, requirePackageFile } from './packages.mjs';

const PACKAGE = 'brain.js';

const Matrix = requirePackageFile(PACKAGE, 'dist/recurrent/matrix/index.js').default;
const brainSoftmax = requirePackageFile(PACKAGE, 'dist/recurrent/matrix/softmax.js').default;
const Equation = requirePackageFile(PACKAGE, 'dist/recurrent/matrix/equation.js').default;

/** The library's package version, read from its installed package.json. */
export const versions = { [PACKAGE]: packageVersion(PACKAGE) };

/** The n×1 Matrix of the logits x (its weights a Float32Array). */
function columnMatrix(x) {
  return Matrix.fromJSON({ rows: x.length, columns: 1, weights: x });
}

/** The weights of softmax(Matrix x). */
export function softmax(x) {
  return brainSoftmax(columnMatrix(x)).weights;
}

/** The deltas predictTargetIndex writes into the output Matrix x for the target label. */
export function cross_entropy_grad(x, label) {
  const logits = columnMatrix(x);
  const equation = new Equation();
  equation.input(logits);
  equation.inputValue = logits.weights;
  equation.predictTargetIndex(0, label);
  return logits.deltas;
}
