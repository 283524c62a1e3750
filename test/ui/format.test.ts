import {describe, expect, test} from 'vitest';
import {
  colorEnabled,
  fmtClock,
  fmtCompact,
  fmtCount,
  fmtMs,
  fmtPct,
  fmtRate,
  fmtShare,
  textWidth,
  truncate,
} from '../../source/ui/format.js';

describe('format', () => {
  test.each([
    [0, '0ms'],
    [0.42, '0.4ms'],
    [9, '9ms'],
    [840, '840ms'],
    [999.4, '999ms'],
    [999.6, '1.0s'],
    [1900, '1.9s'],
    [12_400, '12s'],
    [125_000, '2m05s'],
    [undefined, '–'],
  ])('fmtMs(%s) = %s', (ms, text) => {
    expect(fmtMs(ms)).toBe(text);
  });

  test('counts and rates', () => {
    expect(fmtCount(1204)).toBe('1,204');
    expect(fmtCount(1_234_567)).toBe('1,234,567');
    expect(fmtCompact(18_317)).toBe('18.3k');
    expect(fmtCompact(250_000)).toBe('250k');
    expect(fmtRate(104)).toBe('104.0');
    expect(fmtRate(4821)).toBe('4,821');
  });

  test('percentages never hide a non-zero rate', () => {
    expect(fmtPct(0)).toBe('0.0%');
    expect(fmtPct(0.0001)).toBe('<0.1%');
    expect(fmtPct(0.051)).toBe('5.1%');
    expect(fmtShare(58 / 75)).toBe('77%');
    expect(fmtShare(0.001)).toBe('<1%');
  });

  test('clock and truncation', () => {
    expect(fmtClock(192_000)).toBe('03:12');
    expect(fmtClock(3_723_000)).toBe('1:02:03');
    expect(truncate('GET /api/reports/orders', 10)).toBe('GET /api/…');
    expect(truncate('short', 10)).toBe('short');
  });

  test('widths count the columns a terminal gives: two for CJK and emoji, one for box drawing', () => {
    expect(textWidth('GET /items')).toBe(10);
    expect(textWidth('/商品/:id')).toBe(9);
    expect(textWidth('ok 🔥')).toBe(5);
    expect(textWidth('│▁▂█…·–')).toBe(7);
    // A cut never splits a wide character: the line ends a column short rather than past its box.
    expect(truncate('/商品/一覧', 6)).toBe('/商品…');
    expect(truncate('/商品/一覧', 5)).toBe('/商…');
    expect(textWidth(truncate('/商品/一覧', 5))).toBe(4);
  });

  test('NO_COLOR turns colour off when set to a non-empty value', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({NO_COLOR: ''})).toBe(true);
    expect(colorEnabled({NO_COLOR: '1'})).toBe(false);
  });
});
