/**
 * undici checks its timeouts on a coarse clock (about a second): fine for 30 s, not for 200 ms.
 * Short timeouts also get an exact timer; long ones do not, as a timer a request costs CPU.
 */
export function preciseTimeout(ms: number): AbortSignal | undefined {
  return ms < 5000 ? AbortSignal.timeout(ms) : undefined;
}

/** The message of a timeout, whichever clock fired it: what the user set, not undici's internals. */
export function timeoutMessage(ms: number): string {
  return `no complete response within ${ms} ms`;
}
