// Worker-thread entry: runs the demo shop off the thread that draws the UI, so the shop's event loop
// and brink's rendering never delay each other. Started by startShopInThread() (in-thread.ts).
import {parentPort, workerData} from 'node:worker_threads';
import {startShop, type ShopStats, type StartShopOptions} from './shop.js';

/** Parent → shop thread. */
export type ShopRequest =
  | {readonly type: 'stats'; readonly id: number}
  | {readonly type: 'resetStats'; readonly id: number}
  | {readonly type: 'close'; readonly id: number};

/** Shop thread → parent. */
export type ShopReply =
  | {readonly type: 'ready'; readonly url: string; readonly port: number}
  | {readonly type: 'failed'; readonly message: string}
  | {readonly type: 'stats'; readonly id: number; readonly stats: ShopStats}
  | {readonly type: 'done'; readonly id: number};

const port = parentPort;
if (port) {
  const post = (message: ShopReply) => port.postMessage(message);
  startShop((workerData ?? {}) as StartShopOptions).then(
    (shop) => {
      port.on('message', (message: ShopRequest) => {
        switch (message.type) {
          case 'stats':
            post({type: 'stats', id: message.id, stats: shop.stats()});
            break;
          case 'resetStats':
            shop.resetStats();
            post({type: 'done', id: message.id});
            break;
          case 'close':
            void shop.close().then(() => {
              post({type: 'done', id: message.id});
              port.close();
            });
            break;
        }
      });
      post({type: 'ready', url: shop.url, port: shop.port});
    },
    (error: unknown) => post({type: 'failed', message: String((error as Error)?.message ?? error)}),
  );
}
