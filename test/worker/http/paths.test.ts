// plainPath is PLAIN_PATH with a cheaper first look: it must give the regex's verdict on every path.
import {describe, expect, it} from 'vitest';
import {PLAIN_PATH, plainPath} from '../../../source/worker/http/paths.js';

/** A small seeded generator (mulberry32): the same paths on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Plain characters, the ones the rule looks at twice (dot, percent, hex digits) and ones it refuses.
const PIECES = [
  'a',
  'Z',
  '0',
  '9',
  'f',
  'F',
  'g',
  '-',
  '~',
  "'",
  '/',
  '?',
  '=',
  '&',
  ':',
  '@',
  '.',
  '..',
  './',
  '%',
  '%2',
  '%2F',
  '%zz',
  ' ',
  '#',
  '"',
  '<',
  '\\',
  '^',
  '`',
  '{',
  '|',
  'ü',
  '日',
  '\t',
  '\u007f',
];

describe('plainPath', () => {
  it('agrees with PLAIN_PATH on 20,000 seeded random paths and the usual ones', () => {
    const next = random(20261122);
    const paths = [
      '/',
      '/items/42',
      '/s/item/1000',
      '/a/./b',
      '/a/../b',
      '/a/.',
      '/a/..',
      '/.hidden',
      '/a.b/c.d',
      '/q?x=1&y=2',
      '/q?x=a.b',
      '/%41',
      '/%4',
      '/ü',
      '',
      'items',
      '//x',
      '/a b',
    ];
    for (let i = 0; i < 20_000; i++) {
      let p = next() < 0.95 ? '/' : '';
      const n = Math.floor(next() * 8);
      for (let k = 0; k < n; k++) p += PIECES[Math.floor(next() * PIECES.length)];
      paths.push(p);
    }
    let plain = 0;
    for (const p of paths) {
      expect(plainPath(p), JSON.stringify(p)).toBe(PLAIN_PATH.test(p));
      if (plainPath(p)) plain++;
    }
    // Both verdicts must be common, or the comparison says little.
    expect(plain).toBeGreaterThan(2000);
    expect(paths.length - plain).toBeGreaterThan(2000);
  });
});
