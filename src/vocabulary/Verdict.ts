/**
 * An implementation's verdict over a campaign or a vet (docs/design.md, "Verdicts and the gate"): `pass` when
 * no case has a failing finding, `fail` otherwise, `unavailable` when it could not run here.
 */
export type Verdict = 'pass' | 'fail' | 'unavailable';
