// A health check that shows the capacity model's gauges. It takes a handler like any route, so it queues too.
import type {ShopParts} from '../parts.js';
import {json} from '../reply.js';
import type {Router} from '../router.js';

export function healthRoutes(router: Router, {counters, pool}: ShopParts): void {
  router.add('GET', '/health', 1, () =>
    json(200, {
      status: 'ok',
      in_flight: counters.inFlight,
      queued: pool.queued,
      busy_handlers: pool.busy,
    }),
  );
}
