/** The operations logitfuzz measures (docs/design.md, "Ops"). */
export type Op = 'softmax' | 'log_softmax' | 'logsumexp' | 'cross_entropy' | 'cross_entropy_grad';

export const OPS: readonly Op[] = [
  'softmax',
  'log_softmax',
  'logsumexp',
  'cross_entropy',
  'cross_entropy_grad',
];

export function isOp(name: string): name is Op {
  return (OPS as readonly string[]).includes(name);
}

/** Ops whose result is a single value (returned as a length-1 row). */
export function isScalarOp(op: Op): boolean {
  return op === 'logsumexp' || op === 'cross_entropy';
}

/** Ops that take a class label. */
export function needsLabel(op: Op): boolean {
  return op === 'cross_entropy' || op === 'cross_entropy_grad';
}

/** The length of an op's result for an input of length n. */
export function outputLength(op: Op, n: number): number {
  return isScalarOp(op) ? 1 : n;
}
