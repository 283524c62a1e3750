// A worker's console output is handed to the main thread a batch at a time: what a scenario logs while the
// last batch is on its way waits in the stream's buffer. A scenario that logs faster than that (a body
// printed in every task) grew the buffer without bound: 8 GB of RSS within seconds for 1 MB a task, and
// a worker too busy copying it to answer snapshots. Past a cap, output is dropped here and counted.

/** Output waiting in a stream (characters or bytes) beyond which more is dropped. */
export const MAX_BUFFERED_OUTPUT = 1 << 20;

export interface DroppedOutput {
  lines: number;
  bytes: number;
}

type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;

/** Caps what `streams` may hold unsent; returns the running count of what was dropped (take it to reset). */
export function capOutput(streams: readonly NodeJS.WritableStream[], max = MAX_BUFFERED_OUTPUT): {take(): DroppedOutput | undefined} {
  let dropped: DroppedOutput = {lines: 0, bytes: 0};
  for (const stream of streams) {
    const writable = stream as unknown as {writableLength: number; write: Write};
    const write = writable.write.bind(writable);
    writable.write = (chunk, encoding, callback) => {
      if (writable.writableLength < max) return write(chunk, encoding, callback);
      const text = typeof chunk === 'string' ? chunk : undefined;
      const bytes = text === undefined ? (chunk as Uint8Array).byteLength : Buffer.byteLength(text);
      dropped.bytes += bytes;
      dropped.lines += countLines(chunk as string | Uint8Array);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done as () => void);
      return false;
    };
  }
  return {
    take() {
      if (dropped.bytes === 0) return undefined;
      const out = dropped;
      dropped = {lines: 0, bytes: 0};
      return out;
    },
  };
}

/** Newlines in a chunk of console output (the main thread counts what arrives with the same rule). */
export function countLines(chunk: string | Uint8Array): number {
  let n = 0;
  if (typeof chunk === 'string') for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) n++;
  else for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}
