import {describe, expect, it} from 'vitest';
import {clock, formatDuration, parseDuration} from '../../source/kernel/duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['250ms', 250],
    ['1m500ms', 60_500],
    ['1.5m', 90_000],
    ['0.5s', 500],
    ['45', 45_000],
    ['2.5', 2500],
    ['0', 0],
    [' 30S ', 30_000],
    ['1H2M3S', 3_723_000],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('takes a number as seconds', () => {
    expect(parseDuration(10)).toBe(10_000);
    expect(parseDuration(0.25)).toBe(250);
    expect(parseDuration(0)).toBe(0);
  });

  it.each(['', 'abc', 's', '10x', '-5s', '-5', '5 s', '1h 30m', '1d', '.5s', '5s!', 'ms', '1m1m', '30s1m', '1s1h'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('rejects negative and non-finite numbers', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [150_000, '2m30s'],
    [3_725_000, '1h02m05s'],
    [59_600, '1m00s'],
    [3_600_000, '1h00m00s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1000, 61_000, 3_725_000, 86_399_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe('clock', () => {
  it.each([
    [0, '00:00'],
    [5_999, '00:05'],
    [192_000, '03:12'],
    [3_792_000, '1:03:12'],
    [-5000, '00:00'],
  ])('%d ms → %s', (ms, text) => {
    expect(clock(ms)).toBe(text);
  });
});
