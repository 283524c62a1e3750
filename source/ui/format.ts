// Number and text formatting for the live view. Every figure is short and fixed-width friendly:
// columns are sized for these strings, so a figure never pushes a line past the terminal's edge.
import {eastAsianWidth} from 'get-east-asian-width';

/** Milliseconds as "0.4ms", "840ms", "1.9s", "12s", "2m05s"; "–" when unknown. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms <= 0) return '0ms';
  if (ms < 0.95) return `${ms.toFixed(1)}ms`;
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  if (ms < 9_950) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 59_500) return `${Math.round(ms / 1000)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * A latency axis label: as exact as the scale's steps need, within 6 characters. fmtMs rounds 1.5 ms to
 * "2ms", so a tall chart whose rows are half a millisecond apart would label two rows alike.
 */
export function fmtAxisMs(ms: number): string {
  if (!(ms > 0) || ms >= 1000) return fmtMs(ms);
  const maxDecimals = ms < 10 ? 2 : ms < 100 ? 1 : 0;
  for (let d = 0; d < maxDecimals; d++) {
    const text = ms.toFixed(d);
    if (Math.abs(Number(text) - ms) < 1e-6 * ms) return `${text}ms`;
  }
  return `${ms.toFixed(maxDecimals)}ms`;
}

/** A whole count with thousands separators: 1204 → "1,204". Fixed separator, not the locale's. */
export function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const r = Math.round(n);
  const s = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${s}` : s;
}

/** A count that must stay within 6 characters: "9,999", "12.3k", "1.2M". */
export function fmtCompact(n: number): string {
  const a = Math.abs(n);
  if (a < 10_000) return fmtCount(n);
  if (a < 999_500) return `${(n / 1000).toFixed(a < 99_950 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** Requests per second for a table cell: "0.5", "104.0", "1,204". */
export function fmtRate(rps: number): string {
  if (!Number.isFinite(rps)) return '–';
  return rps < 999.95 ? rps.toFixed(1) : fmtCompact(rps);
}

/** Requests per second for a headline: "4.5", "412", "1,204". */
export function fmtRateShort(rps: number): string {
  if (!Number.isFinite(rps)) return '–';
  return rps < 9.95 ? rps.toFixed(1) : fmtCompact(rps);
}

/** A rate 0..1 as a percentage with one decimal; a non-zero rate never shows as 0.0 %. */
export function fmtPct(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0) return '0.0%';
  if (rate < 0.0005) return '<0.1%';
  return `${(rate * 100).toFixed(1)}%`;
}

/** A share 0..1 as a whole percentage: "77%", "<1%" for a non-zero sliver. */
export function fmtShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  if (share < 0.005) return '<1%';
  return `${Math.round(share * 100)}%`;
}

/** Elapsed time as "mm:ss", or "h:mm:ss" past an hour. */
export function fmtClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * Display width: East Asian wide and fullwidth characters (CJK, most emoji) take two columns, the rest one
 * (box drawing and blocks included). The live view lays its lines out by this width (seg-line.tsx).
 */
export function textWidth(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 0x1100) {
      // nothing below U+1100 is wide: the common case, without a lookup
      n++;
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    n += eastAsianWidth(cp);
  }
  return n;
}

/** Cuts `s` to `width` columns, ending in "…" when something was cut (a wide character that would straddle the cut goes). */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(s) <= width) return s;
  if (width === 1) return '…';
  let out = '';
  let used = 0;
  for (const ch of s) {
    const w = textWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

export function padEnd(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - textWidth(t)));
}

export function padStart(s: string, width: number): string {
  const t = truncate(s, width);
  return ' '.repeat(Math.max(0, width - textWidth(t))) + t;
}

/** Colour is on unless NO_COLOR is set to a non-empty value (https://no-color.org); FORCE_COLOR (not 0) turns it on whatever. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  return env['NO_COLOR'] === undefined || env['NO_COLOR'] === '';
}
