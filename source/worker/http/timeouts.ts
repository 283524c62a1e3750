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
