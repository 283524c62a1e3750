// `brink demo --serve-only`: runs the demo shop alone, in this process, until Ctrl-C, so another
// terminal (or another tool) can point at it.
import {startShop, type ShopOptions} from './shop.js';

export interface ServeOnlyOptions extends ShopOptions {
  /** Default 127.0.0.1; use 0.0.0.0 to reach the shop from another machine. */
  readonly host?: string;
  /** Where the banner and the final counters go (default: stdout). */
  readonly log?: (line: string) => void;
  /** Resolves to stop the shop instead of waiting for SIGINT/SIGTERM (tests, embedding). */
  readonly until?: Promise<unknown>;
}

/** Serves the demo shop on `port` (default 0: a free port), prints its URL, and returns once stopped by SIGINT or SIGTERM. */
export async function serveOnly(port = 0, options: ServeOnlyOptions = {}): Promise<void> {
  const {host, log = (line: string) => process.stdout.write(`${line}\n`), until, ...shopOptions} = options;
  const shop = await startShop({...shopOptions, port, host});
  log(`brink demo shop listening on ${shop.url}`);
  log('  pages: /  /products  /products/:id  /search?q=  /login  /dashboard  /settings');
  log('  api:   /api/auth/login  /api/products  /api/cart/items  /api/orders  /api/reports/orders  /api/imports  /user/:id  /health');
  log('  live:  /ws/echo  /ws/chat (WebSocket, bearer token)  /events (server-sent events)');
  log('  accounts: user1..user1000, password pass1..pass1000 (API: e-mail userN@example.com)');
  log(`  try: brink run scenarios/demo.ts --host ${shop.url}`);
  log('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    void until?.then(stop, stop);
  });
  const stats = shop.stats();
  await shop.close();
  log(
    `stopped: ${stats.total} requests, ${stats.shed} shed (503), ${stats.timedOut} timed out (504), at most ${stats.maxInFlight} in flight`,
  );
}
