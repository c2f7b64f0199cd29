/**
 * `--specials`: how deviations on inputs with NaN or ±Inf logits count
 * (docs/design.md, "Special values"): `strict` fails them, `report` records them without a verdict, `skip`
 * does not judge those inputs.
 */
export type SpecialsPolicy = 'strict' | 'report' | 'skip';

/** Every policy, in the order help texts list them. */
export const SPECIALS_POLICIES: readonly SpecialsPolicy[] = ['strict', 'report', 'skip'];
