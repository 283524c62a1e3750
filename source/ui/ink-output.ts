// Ink's frame buffer, put together from whole pieces of line instead of one object per terminal cell.
//
// Ink's own Output (ink/build/output.js) turns every line written into styled characters (tokenising its
// ANSI codes), places them one by one in a grid of cells, and writes the grid back out as a string: at a
// frame a second of a 120×40 screen that was ~40 % of the live view's main-thread time. Nearly every write
// here is a whole line that lands on cells no other write touches, so this keeps each row as pieces
// (column, width, styled text) and only slices a piece (slice-ansi, as Ink does to clip) where a later
// write covers part of it. The bundle of the live view uses this in place of Ink's (see build-view.mjs);
// the unbundled view keeps Ink's, and test/ui/ink-output.test.ts holds both to the same screen.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';

type Transformer = (line: string, index: number) => string;
type Clip = {readonly x1?: number; readonly x2?: number; readonly y1?: number; readonly y2?: number};

/** Marks a <Transform> function whose result is as wide as its input (seg-line.tsx): its input is measured instead. */
export const KEEPS_WIDTH = Symbol.for('brink.transform.keepsWidth');

const keepsWidth = (transformers: readonly Transformer[]) =>
  transformers.every((t) => (t as unknown as Record<symbol, unknown>)[KEEPS_WIDTH] === true);

// Widths outlive a frame: borders and labels are the same strings every frame. Cleared, not evicted, when full.
const widths = new Map<string, number>();
function widthOf(text: string): number {
  let w = widths.get(text);
  if (w === undefined) {
    if (widths.size >= 4096) widths.clear();
    w = stringWidth(text);
    widths.set(text, w);
  }
  return w;
}

interface Piece {
  readonly x: number;
  readonly width: number;
  readonly text: string;
}

export default class Output {
  readonly width: number;
  readonly height: number;
  private readonly rows: Piece[][];
  private readonly clips: Clip[] = [];

  constructor({width, height}: {width: number; height: number}) {
    this.width = width;
    this.height = height;
    this.rows = Array.from({length: height}, () => []);
  }

  clip(clip: Clip): void {
    this.clips.push(clip);
  }

  unclip(): void {
    this.clips.pop();
  }

  // Clipping is Ink's, step for step (it clips the text before its transformers run).
  write(x: number, y: number, text: string, {transformers}: {transformers: readonly Transformer[]}): void {
    if (!text) return;
    let lines = text.split('\n');
    const clip = this.clips.at(-1);
    if (clip) {
      const clipX = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const clipY = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      if (clipX) {
        let widest = 0;
        for (const line of lines) widest = Math.max(widest, widthOf(line));
        if (x + widest < clip.x1! || x > clip.x2!) return;
      }
      if (clipY && (y + lines.length < clip.y1! || y > clip.y2!)) return;
      if (clipX) {
        lines = lines.map((line) => {
          const width = widthOf(line);
          return sliceAnsi(line, x < clip.x1! ? clip.x1! - x : 0, x + width > clip.x2! ? clip.x2! - x : width);
        });
        if (x < clip.x1!) x = clip.x1!;
      }
      if (clipY) {
        const from = y < clip.y1! ? clip.y1! - y : 0;
        lines = lines.slice(from, y + lines.length > clip.y2! ? clip.y2! - y : lines.length);
        if (y < clip.y1!) y = clip.y1!;
      }
    }
    const measureBefore = keepsWidth(transformers);
    let offsetY = 0;
    for (let i = 0; i < lines.length; i++) {
      const row = this.rows[y + offsetY];
      if (!row) continue; // above or below the frame (and, as in Ink, so is every line after one above it)
      offsetY++;
      let line = lines[i]!;
      const width = measureBefore ? widthOf(line) : 0;
      for (const transform of transformers) line = transform(line, i);
      place(row, x, measureBefore ? width : widthOf(line), line);
    }
  }

  get(): {output: string; height: number} {
    const out: string[] = [];
    for (const row of this.rows) {
      let line = '';
      let column = 0;
      for (const piece of row) {
        if (piece.x > column) line += ' '.repeat(piece.x - column);
        line += piece.text;
        column = piece.x + piece.width;
      }
      out.push(line.trimEnd());
    }
    return {output: out.join('\n'), height: this.rows.length};
  }
}

/** Puts a piece in its row (kept in column order), cutting back what it covers of the pieces already there. */
function place(row: Piece[], x: number, width: number, text: string): void {
  if (width <= 0) return;
  if (x < 0) {
    // Off the left edge (Ink drops the cells left of column 0).
    if (x + width <= 0) return;
    text = sliceAnsi(text, -x);
    width += x;
    x = 0;
  }
  const end = x + width;
  let at = row.length;
  while (at > 0 && row[at - 1]!.x + row[at - 1]!.width > x) at--; // first piece that ends after x
  if (at === row.length || row[at]!.x >= end) {
    row.splice(at, 0, {x, width, text}); // the common case: a gap of its own
    return;
  }
  let last = at;
  while (last < row.length && row[last]!.x < end) last++; // pieces [at, last) overlap
  const kept: Piece[] = [];
  const first = row[at]!;
  if (first.x < x) kept.push({x: first.x, width: x - first.x, text: sliceAnsi(first.text, 0, x - first.x)});
  kept.push({x, width, text});
  const over = row[last - 1]!;
  if (over.x + over.width > end) kept.push({x: end, width: over.x + over.width - end, text: sliceAnsi(over.text, end - over.x)});
  row.splice(at, last - at, ...kept);
}
