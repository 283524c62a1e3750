// A headless run prints the scenario's console output to stderr, up to a budget. Redirected to a file
// (`2> run.log`, a CI log), stderr never backs up, so a scenario that logs every body could write
// gigabytes in a long run and fill the disk; past the budget, one line says so and the rest is counted.

/** Bytes of scenario output a headless run prints before it stops printing it. */
export const OUTPUT_BUDGET_BYTES = 16 << 20;

/** Backed up beyond this (a slow terminal or pipe), output is dropped rather than held in memory. */
const MAX_BACKLOG = 1 << 20;

export interface OutputPrinter {
  print(text: string): void;
  /** Bytes not printed: past the budget, or while stderr was backed up. */
  readonly droppedBytes: number;
}

export function scenarioOutputPrinter(out: NodeJS.WriteStream = process.stderr, budget = OUTPUT_BUDGET_BYTES): OutputPrinter {
  let printed = 0;
  let dropped = 0;
  return {
    print(text) {
      const bytes = Buffer.byteLength(text);
      if (printed >= budget || out.writableLength >= MAX_BACKLOG) {
        dropped += bytes;
        return;
      }
      printed += bytes;
      out.write(text);
      if (printed >= budget)
        out.write(`\nbrink: the scenario's console output passed ${budget >> 20} MiB: the rest of it is not printed\n`);
    },
    get droppedBytes() {
      return dropped;
    },
  };
}
