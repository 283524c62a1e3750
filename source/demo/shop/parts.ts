// What a route handler may use of the shop. ShopApp (app.ts) provides it; the route files only see this.
import type {Catalog} from '../catalog.js';
import type {TokenIssuer} from '../tokens.js';
import type {HandlerPool} from './capacity/handler-pool.js';
import type {OrderLock} from './capacity/order-lock.js';
import type {Cost} from './capacity/service-time.js';
import type {Counters} from './counters.js';
import type {Settings} from './options.js';
import type {ShopState} from './state.js';

export interface ShopParts {
  readonly settings: Settings;
  readonly catalog: Catalog;
  readonly tokens: TokenIssuer;
  readonly state: ShopState;
  readonly counters: Counters;
  /** Read by `/health` only: handlers are taken and given back around the handler, not in it. */
  readonly pool: HandlerPool;
  readonly orderLock: OrderLock;
  /** Holds the request's handler for a service time (scaled, with jitter); cut when the shop is disposed. */
  work(cost: Cost): Promise<void>;
}
