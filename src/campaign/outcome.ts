import type { Finding } from '../metrics/findings.js';
import type { FindingData, ImplOutcome } from './protocol.js';

/**
 * A finding as data that crosses processes and is stored: NaN, which structured clone keeps but
 * JSON cannot, becomes null where it means "does not apply" (the values of a case-level finding,
 * a distance that does not apply).
 */
export function toFindingData(f: Finding): FindingData {
  return {
    kind: f.kind,
    index: f.index,
    expected: Number.isNaN(f.expected) && f.index < 0 ? null : f.expected,
    actual: Number.isNaN(f.actual) && f.index < 0 ? null : f.actual,
    ulps: Number.isNaN(f.ulps) ? null : f.ulps,
    diagnosis: f.diagnosis,
    severity: f.severity,
  };
}

/** The outcome of a call that produced no answer to judge: one case-level finding, worst error. */
export function failedOutcome(impl: string, f: Finding, ms: number): ImplOutcome {
  return {
    impl,
    findings: [toFindingData(f)],
    maxUlps: Infinity,
    maxBits: Infinity,
    pass: false,
    wrong: f.severity === 'wrong',
    outOfFormat: 0,
    ms,
  };
}
