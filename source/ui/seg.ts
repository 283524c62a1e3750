// A line of the screen as styled pieces. Panels build lines of exact width from these, so Ink never
// has to wrap: what is computed here is what lands on the terminal.
import {textWidth, truncate} from './format.js';

export interface Seg {
  readonly text: string;
  /** A hint only: every coloured figure also reads as text. Dropped under NO_COLOR. */
  readonly color?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({text, ...style});

export function segsWidth(segs: readonly Seg[]): number {
  let n = 0;
  for (const s of segs) n += textWidth(s.text);
  return n;
}

/** Cuts a line of segments to `width` columns ("…" at the cut). */
export function fitSegs(segs: readonly Seg[], width: number): Seg[] {
  if (segsWidth(segs) <= width) return [...segs];
  const out: Seg[] = [];
  let left = width;
  for (const s of segs) {
    const w = textWidth(s.text);
    if (w < left) {
      out.push(s);
      left -= w;
      continue;
    }
    out.push({...s, text: truncate(s.text, left)});
    break;
  }
  return out;
}

/** Joins groups with a gap, keeping only the groups that fit in `width` (earlier groups win). */
export function joinFitting(groups: ReadonlyArray<readonly Seg[]>, width: number, gap = '   '): Seg[] {
  const out: Seg[] = [];
  let used = 0;
  for (const g of groups) {
    const w = segsWidth(g) + (out.length > 0 ? gap.length : 0);
    if (used + w > width) continue;
    if (out.length > 0) out.push({text: gap});
    out.push(...g);
    used += w;
  }
  return out;
}
