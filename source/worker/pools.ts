// One undici Pool per origin per worker, shared by the worker's virtual users (keep-alive; a new
// connection opens only when every open one is busy, so N busy users hold about N connections).
import {Pool} from 'undici';

export class Pools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly insecure: boolean) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: {rejectUnauthorized: !this.insecure, timeout: 10_000},
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => {})));
  }
}
