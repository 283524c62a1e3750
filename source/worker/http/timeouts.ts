/**
 * undici checks its timeouts on a coarse clock (about a second): fine for 30 s, not for 200 ms.
 * Short timeouts also get an exact timer; long ones do not, as a timer a request costs CPU.
 */
export function preciseTimeout(ms: number): AbortSignal | undefined {
  return ms < 5000 ? AbortSignal.timeout(ms) : undefined;
}

/**
 * The message of a timeout, whichever clock fired it: what the user set, not undici's internals. A
 * connect timeout (DNS, TCP or TLS handshake too slow; Pools bounds it by min(10 s, --timeout)) says so.
 */
export function timeoutMessage(ms: number, error?: unknown): string {
  const e = error as {code?: unknown; message?: unknown} | undefined;
  if (e?.code === 'UND_ERR_CONNECT_TIMEOUT') return `no connection within ${/timeout: (\d+)ms/.exec(String(e.message))?.[1] ?? ms} ms`;
  return `no complete response within ${ms} ms`;
}

/** How often the body deadlines are checked: a body that outlives its deadline ends at most this much late. */
const SWEEP_MS = 100;

interface Watched {
  readonly deadline: number;
  readonly body: {destroy(error: Error): unknown};
}

const watched = new Set<Watched>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = performance.now();
  for (const w of watched) {
    if (now < w.deadline) continue;
    watched.delete(w);
    w.body.destroy(Object.assign(new Error('Body Timeout Error'), {code: 'UND_ERR_BODY_TIMEOUT'}));
  }
  if (watched.size === 0) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/**
 * The whole-request deadline of an undici response's body: undici's bodyTimeout is per chunk, so a body that
 * drips a byte a second would run for ever. A body still being read at `deadline` (performance.now() ms) is
 * destroyed with undici's body-timeout error. One shared sweep every 100 ms rather than a timer a request (a
 * timer costs more than the rest of an undici request's bookkeeping); short timeouts have an exact signal
 * already (preciseTimeout), which ends the body too. Returns the function that stops watching.
 */
export function bodyDeadline(body: {destroy(error: Error): unknown}, deadline: number): () => void {
  const w: Watched = {deadline, body};
  watched.add(w);
  sweeper ??= setInterval(sweep, SWEEP_MS).unref();
  return () => watched.delete(w);
}
