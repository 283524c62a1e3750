import {Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {capOutput} from '../../source/kernel/output-cap.js';

/** A stream whose reader takes what was written only when told to (like a worker's stdout waiting on the main thread). */
function slowStream() {
  const pending: Array<() => void> = [];
  const received: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      received.push(String(chunk));
      pending.push(callback);
    },
  });
  const drain = () => {
    while (pending.length > 0) pending.shift()!();
  };
  return {stream, received, drain};
}

describe('a worker’s console output past the cap', () => {
  it('is dropped while the reader is behind, counted in lines and bytes, and passes again once it caught up', async () => {
    const {stream, received, drain} = slowStream();
    const cap = capOutput([stream], 1000);
    const line = `${'x'.repeat(299)}\n`; // 300 characters, one line
    const results: boolean[] = [];
    for (let i = 0; i < 10; i++) results.push(stream.write(line));
    // The first write goes to the reader (who holds it), the next ones wait in the buffer until, with it,
    // they reach the cap; the rest are dropped.
    expect(received).toHaveLength(1);
    expect(stream.writableLength).toBeGreaterThanOrEqual(1000);
    expect(stream.writableLength).toBeLessThan(1000 + 300);
    const kept = stream.writableLength / 300;
    expect(cap.take()).toEqual({lines: 10 - kept, bytes: (10 - kept) * 300});
    expect(results.slice(kept).every((r) => r === false)).toBe(true);
    expect(cap.take()).toBeUndefined(); // taken: counts start again

    // Dropped writes still call their callback, as a write that went through would.
    let called = false;
    stream.write(Buffer.from('a\nb\nc\n'), () => {
      called = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(called).toBe(true);
    expect(cap.take()).toEqual({lines: 3, bytes: 6});

    // The reader catches up: output flows again, nothing is dropped.
    for (let i = 0; i < 5; i++) {
      drain();
      await new Promise((r) => setImmediate(r));
    }
    expect(stream.writableLength).toBe(0);
    stream.write('back\n');
    expect(received.at(-1)).toBe('back\n');
    expect(cap.take()).toBeUndefined();
  });

  it('counts bytes, not characters, of what it drops', () => {
    const {stream} = slowStream();
    const cap = capOutput([stream], 6);
    stream.write('first'); // taken by the reader, not yet done
    stream.write('waits'); // in the buffer: with the first, the cap is reached
    stream.write('héllo\n', 'utf8');
    expect(cap.take()).toEqual({lines: 1, bytes: 7});
  });
});
