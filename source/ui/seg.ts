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

const BLANK: readonly Seg[] = [{text: ' '}];

/**
 * The line without its trailing blanks (they look the same as the empty screen behind them, unless
 * inverted): Ink measures and tokenises every character of every line on every frame.
 */
export function trimTrailingBlanks(segs: readonly Seg[]): readonly Seg[] {
  let end = segs.length;
  while (end > 0 && !segs[end - 1]!.inverse && segs[end - 1]!.text.trim() === '') end--;
  if (end === 0) return segs.length === 0 ? segs : BLANK; // a blank line keeps one blank, and with it its height
  const last = segs[end - 1]!;
  if (last.inverse || !last.text.endsWith(' ')) return end === segs.length ? segs : segs.slice(0, end);
  return [...segs.slice(0, end - 1), {...last, text: last.text.trimEnd()}];
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
