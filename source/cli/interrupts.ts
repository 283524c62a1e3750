// Ctrl-C, SIGTERM and SIGHUP (an ssh session dropped) stop the run and keep what it measured. The
// handlers are installed once, at start-up, and stay: a signal before the run is ready stops it as soon
// as it starts, and one after the summary (some libraries re-raise what they saw) cannot kill the process
// with half its output written.
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

let listener: (() => void) | undefined;
let pending = false;
let installed = false;

export function installInterrupts(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) {
    process.on(signal, interrupt);
  }
}

/** Stops the run as a signal would: for a reader that went away (stdout closed under `brink … | head`). */
export function interrupt(): void {
  if (listener) listener();
  else pending = true;
}

/** Calls `stop` on the next signal (at once when one already came); returns a function that detaches it. */
export function onInterrupt(stop: () => void): () => void {
  listener = stop;
  if (pending) {
    pending = false;
    stop();
  }
  return () => {
    if (listener === stop) listener = undefined;
  };
}
