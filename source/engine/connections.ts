// What the connections brink opened say of the target, decided in one place for the event log, the
// summary and the live view.

/** A connect this slow means SYNs were dropped and resent (Linux resends the first after 1 s). */
export const SLOW_CONNECT_MS = 1000;

/**
 * Connections are not being reused: `opened` over a span is more than half the `requests` of that span,
 * and more connections were ever opened than twice the users ever run (a user starting opens one, or
 * shares one: those do not count). `opened`/`requests` may be counts or rates of the same span.
 */
export function notReused(opened: number, requests: number, openedEver: number, users: number): boolean {
  return opened > requests / 2 && openedEver > 2 * users;
}

/**
 * --http2: the protocols the responses came over, most used first (`h2`, `h2+http/1.1` when the server spoke
 * both); undefined without --http2 or before any response.
 */
export function protocolLabel(protocols: Readonly<Record<string, number>> | undefined): string | undefined {
  const used = Object.entries(protocols ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return used.length > 0 ? used.map(([p]) => p).join('+') : undefined;
}
