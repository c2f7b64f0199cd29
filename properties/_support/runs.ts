/**
 * How many cases each property runs. The whole property suite must stay well under 2 minutes on
 * 2 cores inside `npm test`, so the defaults are small — a few cases per implementation × region,
 * many implementations — and the fixed probes and the corpus carry the known hard inputs.
 * `LOGITFUZZ_PROP_SCALE=K` multiplies every count by K (e.g. 20 for a nightly soak).
 */
const SCALE_VARIABLE = 'LOGITFUZZ_PROP_SCALE';

function scale(): number {
  const raw = process.env[SCALE_VARIABLE];
  if (raw === undefined || raw.trim() === '') return 1;
  const v = Number(raw);
  if (!(v > 0) || !Number.isFinite(v))
    throw new RangeError(`${SCALE_VARIABLE}: must be a positive number, got '${raw}'`);
  return v;
}

/** The multiplier of every run count (LOGITFUZZ_PROP_SCALE, default 1). */
const RUN_SCALE: number = scale();

/** `base` cases, scaled, at least 1. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * RUN_SCALE));
}
