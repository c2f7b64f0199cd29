/**
 * Inline SVG charts of the HTML report, drawn from the record's bins (never from cases).
 *
 * The axes of a chart depend only on the record's bin edges, which every implementation shares,
 * so they are drawn once (`chartDefs`, a hidden <svg> of <defs>) and each chart places them with
 * <use>: the page for ~140 implementations stays small. Each chart then draws only its marks,
 * one per non-empty bin, with a class the tests count:
 *   histogram `rect.bar` per non-empty ULP bin, CDF one `path.cdf`,
 *   error map `rect.cell` per map cell with cases, length chart `rect.lbar` per length bin with cases.
 * Numbers are in <title> tooltips as well as on the marks where they fit, so the charts read
 * without JavaScript.
 */
import type { JsonNumber } from '../formats/jsonNumber.js';
import {
  bitsOf,
  compactCount,
  edgeText,
  formatUlps,
  KIND_COLOUR,
  kindFails,
  num,
  orderKinds,
  UNKNOWN_KIND_COLOUR,
  worstKind,
} from './common.js';
import { escapeHtml as e } from './escape.js';
import type { CellRecord, RunRecord } from './schema.js';

// histogram and CDF geometry
const HW = 460;
const HH = 170;
const HL = 44;
const HR = 20;
const HT = 10;
const HB = 34;
const HPH = HH - HT - HB;
/** Gap before the last (non-finite) bin of the histogram, so ∞ stands apart from 2^64. */
const GAP = 10;

// error map geometry
const MCW = 40;
const MCH = 22;
const ML = 62;
const MT = 8;
const MB = 48;

// length chart geometry
const LL = 44;
const LR = 8;
const LT = 14;
const LB = 34;
const LH = 190;
const LPH = LH - LT - LB;

interface HistGeom {
  readonly n: number;
  readonly bw: number;
  /** Left x of bin b. */
  readonly x: (b: number) => number;
}

function histGeom(edges: readonly JsonNumber[]): HistGeom {
  const n = Math.max(1, edges.length);
  const lastInf = num(edges[n - 1]) === Infinity && n > 1;
  const pw = HW - HL - HR - (lastInf ? GAP : 0);
  const bw = pw / n;
  return { n, bw, x: (b) => HL + b * bw + (lastInf && b === n - 1 ? GAP : 0) };
}

/** Bin b of the ULP histogram in words. */
function ulpBinText(edges: readonly JsonNumber[], b: number): string {
  const hi = num(edges[b]);
  if (hi === Infinity) return 'non-finite error (NaN or ±Inf where a number is due, or no answer)';
  if (b === 0) return `${edgeText(edges[0])} ulps (exact)`;
  const lo = num(edges[b - 1]);
  if (Number.isInteger(lo) && Number.isInteger(hi) && hi - lo === 1)
    return `${edgeText(edges[b])} ulp${hi === 1 ? '' : 's'}`;
  return `over ${edgeText(edges[b - 1])}, up to ${edgeText(edges[b])} ulps`;
}

/** Tick positions of the ULP axis: 0, 2^4, 2^8, 2^16, 2^32, 2^48 and ∞ (or every k-th bin for unusual edges). */
function histTicks(edges: readonly JsonNumber[]): number[] {
  const out: number[] = [];
  edges.forEach((ed, b) => {
    const v = num(ed);
    if (v === 0 || v === Infinity || [4, 8, 16, 32, 48].includes(Math.log2(v))) out.push(b);
  });
  if (out.length < 3)
    for (let b = 0; b < edges.length; b += Math.max(1, Math.ceil(edges.length / 8))) out.push(b);
  return [...new Set(out)].sort((a, b) => a - b);
}

const ulpTickText = (ed: JsonNumber) => (num(ed) === Infinity ? 'NaN/∞' : edgeText(ed));

/** A horizontal grid line at height `y` from `x1` to `x2`, labelled `label` at its left end. */
function gridRow(x1: number, x2: number, y: string, label: string): string {
  const line = `<line class="grid" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/>`;
  return `${line}<text class="ya" x="${x1 - 4}" y="${(+y + 3).toFixed(1)}">${label}</text>`;
}

/** The opening of a chart's <svg>, `w` × `h`, described by `label`, placing the shared axes `#axes`. */
function svgOpen(cls: string, w: number, h: number, label: string, axes: string): string {
  const size = `width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"`;
  return `<svg class="${cls}" ${size} role="img" aria-label="${label}"><use href="#${axes}"/>`;
}

/** The fill of a mark (colour and opacity) as attributes. */
const fillAttrs = (st: { fill: string; opacity: number }) => `fill="${st.fill}"${opacityAttr(st.opacity)}`;

function histXAxis(edges: readonly JsonNumber[], title: string): string {
  const g = histGeom(edges);
  const yb = HT + HPH;
  let s = `<line class="axis" x1="${HL}" y1="${yb}" x2="${HW - HR}" y2="${yb}"/>`;
  for (const b of histTicks(edges)) {
    const x = (g.x(b) + g.bw / 2).toFixed(1);
    s += `<line class="axis" x1="${x}" y1="${yb}" x2="${x}" y2="${yb + 4}"/>`;
    s += `<text x="${x}" y="${yb + 15}">${e(ulpTickText(edges[b]))}</text>`;
  }
  s += `<text x="${HL + (HW - HL - HR) / 2}" y="${HH - 2}">${e(title)}</text>`;
  return s;
}

const binLabel = (edges: readonly JsonNumber[], b: number) =>
  num(edges[b]) === Infinity ? (b > 0 ? `>${edgeText(edges[b - 1])}` : '∞') : `≤${edgeText(edges[b])}`;

/** The shared axes of every chart of a record: one hidden <svg> to place before the charts. */
export function chartDefs(r: RunRecord): string {
  // histogram: x axis and titles (the log count axis depends on each histogram's maximum)
  let h = histXAxis(r.histogramEdges, 'error of a case in ulps (bins double in width)');
  h += `<text transform="translate(10 ${HT + HPH / 2}) rotate(-90)">cases (log scale)</text>`;
  // CDF: y grid 0–100 %, x axis, titles
  let c = '';
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const y = (HT + HPH - f * HPH).toFixed(1);
    c += gridRow(HL, HW - HR, y, `${f * 100}%`);
  }
  c += histXAxis(r.histogramEdges, 'error of a case in ulps, at most');
  c += `<text transform="translate(10 ${HT + HPH / 2}) rotate(-90)">share of cases</text>`;
  // error map: background, grid, bin labels, titles
  const n = Math.max(1, r.mapEdges.length);
  let m = `<rect x="${ML}" y="${MT}" width="${n * MCW}" height="${n * MCH}" fill="#fafbfc" stroke="#e3e5e8"/>`;
  let grid = '';
  for (let k = 1; k < n; k++)
    grid += `M${ML + k * MCW} ${MT}V${MT + n * MCH}M${ML} ${MT + k * MCH}H${ML + n * MCW}`;
  m += `<path class="grid" d="${grid}"/>`;
  for (let b = 0; b < n; b++) {
    m += `<text class="ya" x="${ML - 4}" y="${MT + (n - b - 0.5) * MCH + 3}">${e(binLabel(r.mapEdges, b))}</text>`;
    m += `<text x="${ML + (b + 0.5) * MCW}" y="${MT + n * MCH + 13}">${e(binLabel(r.mapEdges, b))}</text>`;
  }
  const mx = ML + (n * MCW) / 2;
  const mb = MT + n * MCH;
  m += `<text x="${mx}" y="${mb + 30}">spread: largest logit − smallest logit</text>`;
  m += `<text x="${mx}" y="${mb + 43}">cell text: failing cases/cases (cases alone when none failed)</text>`;
  m += `<text transform="translate(10 ${MT + (n * MCH) / 2}) rotate(-90)">largest |logit|</text>`;
  // length chart: y grid in bits, x labels, titles
  const ln = Math.max(1, r.lengthEdges.length);
  const lbw = lengthBarWidth(ln);
  const lw = LL + ln * lbw + LR;
  let l = '';
  for (const bits of [0, 16, 32, 48, 64]) {
    const y = (LT + LPH - (bits / 64) * LPH).toFixed(1);
    l += gridRow(LL, lw - LR, y, bits === 64 ? '64/∞' : String(bits));
  }
  for (let b = 0; b < ln; b++) {
    if (ln > 12 && b % 2 === 1 && b !== ln - 1) continue;
    l += `<text x="${LL + (b + 0.5) * lbw}" y="${LT + LPH + 13}">${e(edgeText(r.lengthEdges[b]))}</text>`;
  }
  l += `<line class="axis" x1="${LL}" y1="${LT + LPH}" x2="${lw - LR}" y2="${LT + LPH}"/>`;
  const lx = LL + (ln * lbw) / 2;
  l += `<text x="${lx}" y="${LH - 4}">length of the logit vector, at most (number over a bar: failing cases)</text>`;
  l += `<text transform="translate(10 ${LT + LPH / 2}) rotate(-90)">worst error, bits</text>`;
  const defs = `<g id="ax-h">${h}</g><g id="ax-c">${c}</g><g id="ax-m">${m}</g><g id="ax-l">${l}</g>`;
  return `<svg class="defs" width="0" height="0" aria-hidden="true"><defs>${defs}</defs></svg>`;
}

/** ULP-error histogram with a logarithmic count axis: one `rect.bar` per non-empty bin. */
export function histogramSvg(hist: readonly number[], edges: readonly JsonNumber[], tips = true): string {
  const g = histGeom(edges);
  const max = Math.max(1, ...hist);
  const lmax = Math.log10(1 + max);
  const y = (c: number) => HT + HPH - (Math.log10(1 + c) / lmax) * HPH;
  const total = hist.reduce((a, b) => a + b, 0);
  const label = 'histogram of the error per case in ulps, logarithmic counts';
  let s = svgOpen('hist', HW, HH, label, 'ax-h');
  let ticks = `<text class="ya" x="${HL - 4}" y="${HT + HPH + 3}">0</text>`;
  for (let p = 1; p <= max; p *= 10) {
    const yy = y(p).toFixed(1);
    ticks += gridRow(HL, HW - HR, yy, e(compactCount(p)));
  }
  s += ticks;
  let acc = 0;
  hist.forEach((c, b) => {
    acc += c;
    if (!c || b >= g.n) return;
    const cls = b === 0 ? 'bar b0' : num(edges[b]) === Infinity ? 'bar bi' : 'bar';
    const top = y(c);
    const x = (g.x(b) + 0.5).toFixed(1);
    const w = Math.max(1, g.bw - 1).toFixed(1);
    const h = (HT + HPH - top).toFixed(1);
    const rect = `<rect class="${cls}" x="${x}" y="${top.toFixed(1)}" width="${w}" height="${h}"`;
    if (tips) {
      const share = ((acc / total) * 100).toFixed(1);
      const tip = `${ulpBinText(edges, b)}: ${c} case${c === 1 ? '' : 's'} (${share}% of cases at most this)`;
      s += `${rect}><title>${e(tip)}</title></rect>`;
    } else s += `${rect}/>`;
  });
  return `${s}</svg>`;
}

/** Cumulative distribution of the per-case error from the same bins: one step line, `path.cdf`. */
export function cdfSvg(hist: readonly number[], edges: readonly JsonNumber[]): string {
  const g = histGeom(edges);
  const total = hist.reduce((a, b) => a + b, 0);
  const y = (f: number) => HT + HPH - f * HPH;
  let s = svgOpen('cdfchart', HW, HH, 'share of cases with an error of at most x ulps', 'ax-c');
  if (total > 0) {
    let acc = 0;
    let d = `M${HL} ${y(0).toFixed(1)}`;
    for (let b = 0; b < g.n; b++) {
      acc += hist[b] ?? 0;
      d += `H${g.x(b).toFixed(1)}V${y(acc / total).toFixed(1)}H${(g.x(b) + g.bw).toFixed(1)}`;
    }
    const full = ulpTickText(edges[lastNonZero(hist)]);
    const tip = `share of cases with an error of at most x ulps; 100% reached at ${full}`;
    s += `<path class="cdf" d="${d}"><title>${e(tip)}</title></path>`;
  } else s += `<text x="${HL + (HW - HL - HR) / 2}" y="${HT + HPH / 2}">no cases</text>`;
  return `${s}</svg>`;
}

function lastNonZero(hist: readonly number[]): number {
  for (let b = hist.length - 1; b >= 0; b--) if (hist[b]) return b;
  return 0;
}

/** Fill of a cell with no failing case, by its worst error in bits: exact is palest. */
function passFill(maxUlps: JsonNumber): string {
  const b = bitsOf(maxUlps);
  return b === 0 ? '#e8f5e9' : b <= 2 ? '#c8e6c9' : b <= 6 ? '#a5d6a7' : '#81c784';
}

const kindColour = (k: string | undefined): string =>
  k !== undefined && Object.hasOwn(KIND_COLOUR, k) ? KIND_COLOUR[k] : UNKNOWN_KIND_COLOUR;

/**
 * Colour of a cell: its worst failing kind, more opaque the larger the share of failing cases;
 * green when nothing failed.
 */
function cellStyle(
  c: CellRecord,
  r: Pick<RunRecord, 'config'>,
): { fill: string; opacity: number; kind: string | undefined } {
  if (c.failures > 0) {
    const failing = Object.keys(c.kinds).filter((k) => kindFails(k, r));
    const k = worstKind(failing.length ? failing : Object.keys(c.kinds));
    return {
      fill: kindColour(k),
      opacity: 0.45 + 0.55 * Math.min(1, c.failures / Math.max(1, c.cases)),
      kind: k,
    };
  }
  return { fill: passFill(c.maxUlps), opacity: 1, kind: undefined };
}

function cellTitle(what: string, c: CellRecord): string {
  const kinds = orderKinds(Object.keys(c.kinds))
    .map((k) => `${k} ${c.kinds[k]}`)
    .join(', ');
  const cases = `${c.cases} case${c.cases === 1 ? '' : 's'}`;
  return `${what}: ${cases}, ${c.failures} failing, worst ${formatUlps(c.maxUlps)} ulps${kinds ? `; ${kinds}` : ''}`;
}

/**
 * The error map over (largest |logit|, spread max − min): one `rect.cell` per cell with cases,
 * coloured by its worst failing finding kind (opacity: the share of failing cases), green by its
 * worst error when nothing failed; the text is failing/cases.
 */
export function errorMapSvg(
  map: Readonly<Record<string, CellRecord>>,
  edges: readonly JsonNumber[],
  r: Pick<RunRecord, 'config'>,
  tips = true,
): string {
  const n = Math.max(1, edges.length);
  const W = ML + n * MCW + 8;
  const H = MT + n * MCH + MB;
  let s = svgOpen('map', W, H, 'error map: largest absolute logit against spread', 'ax-m');
  for (const [key, c] of Object.entries(map)) {
    const m = /^(\d+),(\d+)$/.exec(key);
    if (!m) continue;
    const i = Number(m[1]);
    const j = Number(m[2]);
    if (i >= n || j >= n) continue;
    const x = ML + j * MCW;
    const y = MT + (n - 1 - i) * MCH;
    const st = cellStyle(c, r);
    const label =
      c.failures > 0 ? `${compactCount(c.failures)}/${compactCount(c.cases)}` : compactCount(c.cases);
    const light =
      c.failures > 0 &&
      st.opacity > 0.6 &&
      st.kind !== 'argmax' &&
      st.kind !== 'nondeterministic' &&
      st.kind !== 'sum' &&
      st.kind !== 'ulp';
    const rect = `<rect class="cell" x="${x + 1}" y="${y + 1}" width="${MCW - 2}" height="${MCH - 2}" ${fillAttrs(st)}`;
    const where = `|logit| ${binLabel(edges, i)}, spread ${binLabel(edges, j)}`;
    s += tips ? `${rect}><title>${e(cellTitle(where, c))}</title></rect>` : `${rect}/>`;
    s += `<text class="ct${light ? ' light' : ''}" x="${x + MCW / 2}" y="${y + MCH / 2 + 3}">${e(label)}</text>`;
  }
  return `${s}</svg>`;
}

const opacityAttr = (o: number) => (o >= 0.995 ? '' : ` fill-opacity="${o.toFixed(2)}"`);

const lengthBarWidth = (n: number) => Math.max(14, Math.min(28, Math.floor(420 / n)));

/**
 * Error against vector length: one `rect.lbar` per length bin with cases; height = worst bits of
 * error, log2(1 + ulps).
 */
export function lengthSvg(
  cells: Readonly<Record<string, CellRecord>>,
  edges: readonly JsonNumber[],
  r: Pick<RunRecord, 'config'>,
  tips = true,
): string {
  const n = Math.max(1, edges.length);
  const bw = lengthBarWidth(n);
  const W = LL + n * bw + LR;
  const y = (bits: number) => LT + LPH - (bits / 64) * LPH;
  const label = 'worst error in bits against the length of the logit vector';
  let s = svgOpen('lengths', W, LH, label, 'ax-l');
  for (const [key, c] of Object.entries(cells)) {
    if (!/^\d+$/.test(key)) continue;
    const b = Number(key);
    if (b >= n) continue;
    const top = Math.min(y(bitsOf(c.maxUlps)), LT + LPH - 2);
    const st = cellStyle(c, r);
    const x = LL + b * bw;
    const yt = top.toFixed(1);
    const h = (LT + LPH - top).toFixed(1);
    const rect = `<rect class="lbar" x="${x + 2}" y="${yt}" width="${bw - 4}" height="${h}" ${fillAttrs(st)}`;
    s += tips
      ? `${rect}><title>${e(cellTitle(`length ${binLabel(edges, b)}`, c))}</title></rect>`
      : `${rect}/>`;
    if (c.failures > 0)
      s += `<text class="ct" x="${x + bw / 2}" y="${(top - 3).toFixed(1)}">${e(compactCount(c.failures))}</text>`;
  }
  return `${s}</svg>`;
}
