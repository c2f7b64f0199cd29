import { oracle } from '../oracle/oracle.js';
import type { CaseInput, OracleAnswer } from './protocol.js';

/**
 * The oracle's answer for a case: each row of a batch on its own (the rows of a batch are
 * independent problems). Throws the oracle's OracleInputError for a row it rejects.
 */
export function oracleAnswer(c: Pick<CaseInput, 'op' | 'format' | 'x' | 'label' | 'batch'>): OracleAnswer {
  const r = oracle(c.op, c.format, c.x, c.label);
  const batch = c.batch?.map((b) => {
    const q = oracle(c.op, c.format, b.x, b.label);
    return { values: q.values, undetermined: q.undetermined };
  });
  return { values: r.values, undetermined: r.undetermined, ...(batch ? { batch } : {}) };
}
