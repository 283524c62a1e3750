// The demo shop in its own worker thread, driven from the main thread: start it, read its counters,
// close it. `brink demo` uses this so the shop and the live view do not share an event loop.
import type {Worker} from 'node:worker_threads';
import {spawnWorker} from '../kernel/spawn-worker.js';
import type {ShopStats, StartShopOptions} from './shop.js';
import type {ShopReply, ShopRequest} from './serve-thread.js';

export interface ThreadedShop {
  readonly url: string;
  readonly port: number;
  /** The shop's counters, read from its thread. */
  stats(): Promise<ShopStats>;
  resetStats(): Promise<void>;
  /** Closes the server and ends the thread. */
  close(): Promise<void>;
}

export async function startShopInThread(options: StartShopOptions = {}): Promise<ThreadedShop> {
  const worker: Worker = spawnWorker('../demo/serve-thread', {workerData: options});
  const waiting = new Map<number, (reply: ShopReply) => void>();
  let nextId = 1;
  let exited = false;

  const ready = await new Promise<{url: string; port: number}>((resolve, reject) => {
    const onMessage = (m: ShopReply) => {
      if (m.type === 'ready') resolve({url: m.url, port: m.port});
      else if (m.type === 'failed') reject(new Error(`demo shop failed to start: ${m.message}`));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`demo shop thread exited (code ${code}) before it was ready`)));
  }).catch(async (error) => {
    await worker.terminate();
    throw error;
  });

  worker.removeAllListeners('message');
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  worker.on('message', (m: ShopReply) => {
    if (m.type === 'stats' || m.type === 'done') {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    }
  });
  worker.on('error', () => {}); // reported through the calls that then fail
  worker.on('exit', () => {
    exited = true;
    for (const settle of waiting.values()) settle({type: 'failed', message: 'demo shop thread exited'});
    waiting.clear();
  });

  const ask = (type: ShopRequest['type']): Promise<ShopReply> => {
    if (exited) return Promise.reject(new Error('demo shop thread is not running'));
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({type, id} satisfies ShopRequest);
    });
  };

  let closing: Promise<void> | undefined;
  return {
    url: ready.url,
    port: ready.port,
    async stats() {
      const reply = await ask('stats');
      if (reply.type !== 'stats') throw new Error(reply.type === 'failed' ? reply.message : 'unexpected reply');
      return reply.stats;
    },
    async resetStats() {
      await ask('resetStats');
    },
    close() {
      closing ??= (async () => {
        if (!exited) {
          // Give the server a moment to close cleanly, then end the thread whatever happened.
          await Promise.race([ask('close').catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
        }
        await worker.terminate();
      })();
      return closing;
    },
  };
}

// `brink demo --serve-only` runs the shop alone (no UI to protect, so in this thread).
export {serveOnly} from './serve-only.js';
export type {ServeOnlyOptions} from './serve-only.js';
