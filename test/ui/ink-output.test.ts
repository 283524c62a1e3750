// brink's frame buffer (source/ui/ink-output.ts) stands in for Ink's in the bundled view: given the same writes,
// clips and transforms, it must put the same characters in the same styles on every row. Ink's own Output is
// the oracle; both rows are read back cell by cell (the bytes may differ: Ink merges equal styles across
// pieces, brink keeps each piece's own codes).
import {styledCharsFromTokens, tokenize} from '@alcalzone/ansi-tokenize';
import {Chalk} from 'chalk';
import {describe, expect, test} from 'vitest';
import Output, {KEEPS_WIDTH} from '../../source/ui/ink-output.js';

type Transformer = (line: string, index: number) => string;
type Op =
  | {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
  | {type: 'clip'; clip: {x1?: number; x2?: number; y1?: number; y2?: number}}
  | {type: 'unclip'};
interface FrameBuffer {
  write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
  clip(clip: object): void;
  unclip(): void;
  get(): {output: string; height: number};
}

const InkOutput = (await import(new URL('../../node_modules/ink/build/output.js', import.meta.url).href)).default as new (size: {
  width: number;
  height: number;
}) => FrameBuffer;
const chalk = new Chalk({level: 3});

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Each cell as its character and the codes styling it: what a terminal shows. */
function cells(frame: string): string[][] {
  return frame.split('\n').map((row) =>
    styledCharsFromTokens(tokenize(row)).map(
      (c) =>
        `${c.value}${c.styles
          .map((s) => s.code)
          .sort()
          .join('')}`,
    ),
  );
}

function run(Make: new (size: {width: number; height: number}) => FrameBuffer, width: number, height: number, ops: Op[]) {
  const out = new Make({width, height});
  for (const op of ops) {
    if (op.type === 'write') out.write(op.x, op.y, op.text, {transformers: op.transformers});
    else if (op.type === 'clip') out.clip(op.clip);
    else out.unclip();
  }
  return out.get();
}

const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

// Narrow characters only: how a wide one cut in half shows differs (Ink leaves an empty cell, slice-ansi
// drops the half), and neither is a screen anyone would want.
const NARROW = ['a', 'Z', '7', ' ', '·', '│', '─', '┌', '▁', '█', '⣿', 'é', '…'];
const STYLES = [(t: string) => t, chalk.red, chalk.dim, chalk.bold, chalk.inverse, (t: string) => chalk.green.bold(t), chalk.bgBlue];

function styledText(random: () => number, width: number): string {
  let text = '';
  let left = width;
  while (left > 0) {
    const n = Math.min(left, int(random, 1, 6));
    let piece = '';
    for (let i = 0; i < n; i++) piece += pick(random, NARROW);
    text += pick(random, STYLES)(piece);
    left -= n;
  }
  return text;
}

function randomOps(random: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  let depth = 0;
  for (let i = 0, n = int(random, 1, 40); i < n; i++) {
    const r = random();
    if (r < 0.08) {
      ops.push({
        type: 'clip',
        clip:
          random() < 0.5
            ? {x1: int(random, 0, width), x2: int(random, 0, width), y1: int(random, 0, height), y2: int(random, 0, height)}
            : random() < 0.5
              ? {x1: int(random, 0, width), x2: int(random, 0, width)}
              : {y1: int(random, 0, height), y2: int(random, 0, height)},
      });
      depth++;
    } else if (r < 0.12 && depth > 0) {
      ops.push({type: 'unclip'});
      depth--;
    } else {
      const lines = Array.from({length: int(random, 1, 3)}, () => styledText(random, int(random, 0, width)));
      const kind = random();
      const x = int(random, -2, width - 1);
      const y = int(random, -1, height);
      if (kind < 0.3) {
        // As seg-line.tsx: spaces laid out, swapped for a styled line of the same width (a clip cuts the spaces:
        // then something else of their width).
        const spaces = lines.map((l) => ' '.repeat(styledCharsFromTokens(tokenize(l)).length));
        const swap = Object.assign(
          (line: string, index: number) => (line === spaces[index] ? lines[index]! : chalk.cyan(line.replaceAll(' ', '~'))),
          {[KEEPS_WIDTH]: true},
        );
        ops.push({type: 'write', x, y, text: spaces.join('\n'), transformers: [swap]});
      } else if (kind < 0.45) {
        ops.push({type: 'write', x, y, text: lines.join('\n'), transformers: [(line) => chalk.underline(line.replaceAll('a', 'AB'))]});
      } else {
        ops.push({type: 'write', x, y, text: lines.join('\n'), transformers: []});
      }
    }
  }
  return ops;
}

describe("brink's frame buffer against Ink's", () => {
  test('500 random frames of writes, overlaps, clips and transforms show the same cells', () => {
    const random = lcg(42);
    let overlapped = 0;
    for (let frame = 0; frame < 500; frame++) {
      const width = int(random, 1, 30);
      const height = int(random, 1, 8);
      const ops = randomOps(random, width, height);
      const ink = run(InkOutput, width, height, ops);
      const ours = run(Output, width, height, ops);
      expect(ours.height).toBe(ink.height);
      expect(
        cells(ours.output),
        `frame ${frame}: ${JSON.stringify(ops.map((o) => (o.type === 'write' ? [o.x, o.y, o.text] : o)))}`,
      ).toEqual(cells(ink.output));
      if (ops.filter((o) => o.type === 'write').length > 3) overlapped++;
    }
    expect(overlapped).toBeGreaterThan(400); // most frames had writes enough to cover one another
  });

  test('wide characters land in the same columns when nothing cuts them', () => {
    const ops: Op[] = [
      {type: 'write', x: 0, y: 0, text: `${chalk.red('商品')}-ok 🙂`, transformers: []},
      {type: 'write', x: 9, y: 0, text: chalk.bold('レビュー'), transformers: []},
      {type: 'write', x: 2, y: 1, text: '│\n│', transformers: []},
      {type: 'write', x: 3, y: 1, text: '  ', transformers: [Object.assign(() => chalk.inverse('名'), {[KEEPS_WIDTH]: true})]},
    ];
    const ink = run(InkOutput, 20, 3, ops);
    const ours = run(Output, 20, 3, ops);
    expect(cells(ours.output)).toEqual(cells(ink.output));
    expect(ours.output.split('\n')[0]).toContain('レビュー');
  });

  test('a piece covered in its middle keeps both ends', () => {
    const out = new Output({width: 12, height: 1});
    out.write(0, 0, chalk.red('abcdefghij'), {transformers: []});
    out.write(3, 0, 'XY', {transformers: []});
    const [row] = cells(out.get().output);
    expect(row!.map((c) => c[0]).join('')).toBe('abcXYfghij');
    expect(row![2]).toBe(`c${chalk.red('x').slice(0, 5)}`); // still red
    expect(row![3]).toBe('X'); // unstyled
    expect(row![5]).toBe(`f${chalk.red('x').slice(0, 5)}`);
  });
});
