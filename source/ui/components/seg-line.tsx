import {memo} from 'react';
import chalk from 'chalk';
import {Text, Transform} from 'ink';
import {KEEPS_WIDTH} from '../ink-output.js';
import {segsWidth, trimTrailingBlanks, type Seg} from '../seg.js';

type Props = {
  readonly segs: readonly Seg[];
  /** False under NO_COLOR: segments keep bold/dim/inverse but lose their colour. */
  readonly color: boolean;
};

// Control characters (a check's message may quote a body with newlines, a name may carry an escape) would move
// the cursor: each becomes one visible character, so the line keeps the width it was laid out with.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const visible = (c: string) => (c === '\n' || c === '\r' || c === '\t' ? ' ' : '\ufffd');

/** A segment styled as Ink's <Text> styles it (same chalk instance, same order), so the bytes are the same. */
function styled(s: Seg, color: boolean): string {
  let text = s.text.replace(CONTROL, visible);
  if (s.dim) text = chalk.dim(text);
  const paint = color && s.color ? (chalk as unknown as Record<string, unknown>)[s.color] : undefined; // named colours only (seg.ts)
  if (typeof paint === 'function') text = (paint as (t: string) => string)(text);
  if (s.bold) text = chalk.bold(text);
  if (s.inverse) text = chalk.inverse(text);
  return text;
}

/**
 * One screen line from styled segments. Ink measures (string-width, grapheme by grapheme for box and block
 * characters) and squashes every text node of every frame; a line here is laid out as plain spaces of its
 * width and swapped for its styled text as it is written, which <Transform> allows as long as the width
 * does not change (panels build lines of exact width: seg.ts). The swap is marked as keeping the width, so the
 * bundled view's frame buffer (ink-output.ts) measures the spaces rather than the styled text.
 */
function SegLine({segs, color}: Props) {
  const shown = trimTrailingBlanks(segs);
  let text = '';
  for (const s of shown) text += styled(s, color);
  const swap = Object.assign(() => text, {[KEEPS_WIDTH]: true});
  return (
    <Transform transform={swap}>
      <Text>{' '.repeat(segsWidth(shown))}</Text>
    </Transform>
  );
}

const sameSeg = (a: Seg, b: Seg) =>
  a.text === b.text && a.color === b.color && a.bold === b.bold && a.dim === b.dim && a.inverse === b.inverse;

/**
 * Panels build their lines afresh every frame, but most of a screen (borders, labels, rows that did not
 * move) reads the same as the frame before: such a line is not rendered again, so React and Ink's layout
 * skip it.
 */
export default memo(
  SegLine,
  (before, after) =>
    before.color === after.color && before.segs.length === after.segs.length && before.segs.every((s, i) => sameSeg(s, after.segs[i]!)),
);
