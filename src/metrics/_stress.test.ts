import { test } from 'vitest';
import { budget } from './budgets.js';
import { oracle, type Op } from '../oracle/index.js';
import { simulateRecommended, type SumOrder } from './simulateRecommended.js';
import { ulpDistance, formatSpec, roundNumber, EXP_THRESHOLDS, type FormatName } from '../formats/index.js';
import { judge } from './findings.js';
test('stress', () => {
  let seed = Number(process.env.SEED ?? 1);
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const fmts: FormatName[] = ['f64','f32','f16','bf16'];
  const ops: Op[] = ['softmax','log_softmax','logsumexp','cross_entropy','cross_entropy_grad'];
  const orders: SumOrder[] = ['forward','reverse','pairwise'];
  let worst = 0; let count = 0; const t0 = Date.now();
  const bad: string[] = [];
  while (Date.now() - t0 < Number(process.env.MS ?? 60000)) {
    const f = fmts[Math.floor(rnd()*4)]; const F = formatSpec(f);
    const n = 1 + Math.floor(Math.pow(rnd(), 2) * (f === 'bf16' ? 60 : f === 'f16' ? 300 : 200));
    const { underflow: Tu, overflow: To } = EXP_THRESHOLDS[f];
    const kind = Math.floor(rnd()*8);
    const gen = () => {
      switch (kind) {
        case 0: return (rnd()*2-1) * 3;
        case 1: return (rnd()*2-1) * 30;
        case 2: return Tu * rnd() * 1.2;
        case 3: return rnd() < 0.5 ? 0 : Tu + (rnd()*2-1)*4;
        case 4: return -Math.log(n) + (rnd()-0.5)*0.01;
        case 5: return (rnd() - 0.5) * 1e-3;
        case 6: return rnd() < 0.2 ? 0 : -rnd()*2;
        default: return (rnd()*2-1) * To * 3;
      }
    };
    const x = Array.from({length:n}, () => roundNumber(F, gen())).map(v => Number.isFinite(v) ? v : 0);
    const op = ops[Math.floor(rnd()*5)];
    const label = (op === 'cross_entropy' || op === 'cross_entropy_grad') ? Math.floor(rnd()*n) : undefined;
    const order = orders[Math.floor(rnd()*3)];
    const r = oracle(op, f, x, label).values;
    const s = simulateRecommended(op, f, x, label, order);
    const b = budget(op, f, x, label, undefined, r);
    count++;
    for (let i = 0; i < r.length; i++) {
      const d = ulpDistance(F, s[i], r[i]);
      if (b[i] > 0) worst = Math.max(worst, d / b[i]);
      if (!(d <= b[i])) bad.push(`${op} ${f} ${order} kind=${kind} n=${n} label=${label} i=${i}: ${s[i]} vs ${r[i]}: ${d} > ${b[i]} x=${JSON.stringify(x.slice(0,12))}`);
    }
    const j = judge({ op, format: f, x, label, actual: s, reference: r });
    if (j.findings.length) bad.push(`judge ${op} ${f} kind=${kind} n=${n}: ${JSON.stringify(j.findings.slice(0,2))}`);
  }
  console.log('cases', count, 'worst ratio', worst, 'bad', bad.length);
  console.log(bad.slice(0, 10).join('\n'));
});
