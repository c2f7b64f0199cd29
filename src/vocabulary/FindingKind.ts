/**
 * Every kind of finding (docs/design.md, "Findings"): case-level `crash`, `timeout`,
 * `shape`, `mutation`, `sum`, `argmax`, `nondeterministic`, `batch`; element-level `special`,
 * `nan-swallowed`, `overflow`, `underflow`, `cancellation`, `spurious-nan`, `ulp`.
 */
export type FindingKind =
  | 'crash'
  | 'timeout'
  | 'shape'
  | 'mutation'
  | 'special'
  | 'nan-swallowed'
  | 'overflow'
  | 'underflow'
  | 'cancellation'
  | 'spurious-nan'
  | 'ulp'
  | 'sum'
  | 'argmax'
  | 'nondeterministic'
  | 'batch';

/** All finding kinds, case-level first, then the element table's rows in order. */
export const FINDING_KINDS: readonly FindingKind[] = [
  'crash',
  'timeout',
  'shape',
  'mutation',
  'special',
  'nan-swallowed',
  'overflow',
  'underflow',
  'cancellation',
  'spurious-nan',
  'ulp',
  'sum',
  'argmax',
  'nondeterministic',
  'batch',
];

export function isFindingKind(name: unknown): name is FindingKind {
  return typeof name === 'string' && (FINDING_KINDS as readonly string[]).includes(name);
}
