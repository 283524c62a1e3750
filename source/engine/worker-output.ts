// The workers' console output (a scenario's console.log), captured rather than written to the terminal:
// it would tear the live view, and a scenario that logs without end must neither fill memory nor stall
// on the terminal. The first lines become events; the rest is counted and dropped.
import type {Worker} from 'node:worker_threads';
import type {WorkerMessage} from '../protocol/messages.js';
import {countLines} from '../kernel/output-cap.js';

/** Lines of the workers' console output kept in the event log; the rest is counted and dropped. */
const MAX_OUTPUT_EVENTS = 20;
const MAX_OUTPUT_LINE = 200;

export class WorkerOutput {
  /** Everything written so far, stdout and stderr of every worker; `droppedBytes` of it never left its worker. */
  readonly counts = {lines: 0, bytes: 0, droppedBytes: 0};
  private readonly listeners = new Set<(workerId: number, text: string) => void>();
  private shown = 0;

  /** `note` records an event (the engine's event log). */
  constructor(private readonly note: (kind: 'info' | 'warning', text: string) => void) {}

  /** Reads a worker's stdout and stderr (the worker must be spawned with `stdout: true, stderr: true`). */
  capture(workerId: number, worker: Worker): void {
    // What the worker dropped, its buffer full (worker/output-cap.ts), comes with its snapshots.
    worker.on('message', (m: WorkerMessage) => {
      const dropped = m.type === 'snapshot' || m.type === 'stopped' ? m.snapshot.droppedOutput : undefined;
      if (dropped) this.dropped(workerId, dropped.lines, dropped.bytes);
    });
    for (const stream of [worker.stdout, worker.stderr]) {
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        this.counts.bytes += chunk.length;
        this.counts.lines += countLines(chunk);
        if (this.listeners.size === 0 && this.shown >= MAX_OUTPUT_EVENTS) return;
        const text = chunk.toString('utf8');
        for (const listener of this.listeners) listener(workerId, text);
        if (this.shown >= MAX_OUTPUT_EVENTS) return;
        const lines = (partial + text).split('\n');
        partial = lines.pop()!.slice(0, MAX_OUTPUT_LINE);
        for (const line of lines) {
          if (this.shown >= MAX_OUTPUT_EVENTS) break;
          this.shown++;
          this.note('info', `output of worker ${workerId}: ${line.length > MAX_OUTPUT_LINE ? `${line.slice(0, MAX_OUTPUT_LINE)}…` : line}`);
          if (this.shown === MAX_OUTPUT_EVENTS)
            this.note('warning', `the scenario's console output beyond ${MAX_OUTPUT_EVENTS} lines is counted, not shown`);
        }
      });
    }
  }

  private dropped(workerId: number, lines: number, bytes: number): void {
    if (this.counts.droppedBytes === 0) {
      this.note(
        'warning',
        `worker ${workerId}: the scenario writes console output faster than it can be passed on; what does not fit is counted and dropped`,
      );
    }
    this.counts.lines += lines;
    this.counts.bytes += bytes;
    this.counts.droppedBytes += bytes;
  }

  /** Listens to the output as it comes (a headless run may print it); returns the unsubscribe function. */
  listen(listener: (workerId: number, text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
