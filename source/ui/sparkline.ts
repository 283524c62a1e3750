// Block-character sparklines: ▁▂▃▄▅▆▇█. The scale runs from the lowest value shown to the highest,
// but always spans at least a quarter of the highest: a 2× climb fills the height, ±5 % noise stays
// in the top blocks instead of being blown up into a zigzag. Gaps (no data) are blank.
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  let hi = 0;
  let lo = Infinity;
  for (const v of shown) {
    if (!Number.isFinite(v) || v <= 0) continue;
    hi = Math.max(hi, v);
    lo = Math.min(lo, v);
  }
  const bottom = Math.max(0, Math.min(lo, hi * 0.75));
  const range = hi - bottom;
  let out = '';
  for (const v of shown) {
    if (!Number.isFinite(v) || v <= 0) out += ' ';
    else out += BLOCKS[range > 0 ? Math.round(((v - bottom) / range) * 7) : 7];
  }
  return out;
}
