// A dashboard that follows the shop's activity feed: server-sent events on /events (a snapshot at once,
// then an order or a stock change every 250 ms on the demo shop).
//   watcher: opens the feed, reads a dozen events (about 3 s), looks up each product whose stock
//   changed, then closes it and comes back a little later, as a dashboard tab opened now and then.
// The time from the request to the first event is a sample of `SSE /events`; the gaps between events,
// `SSE /events (gap)`, show whether the feed keeps its pace under load (they are not requests, so the
// run's totals leave them out). The server ending the feed early is `sse_closed`; a feed silent for
// 5 s, `sse_timeout`.
//
//   brink run scenarios/sse-feed.ts --host http://localhost:8000
import {scenario, user, task, between} from 'brink';

export const watcher = user('watcher', {wait: between(5, 10), headers: {accept: 'application/json'}}, [
  task('watch the feed', async ({sse, http}) => {
    const feed = await sse.connect('/events', {name: 'SSE /events'});
    try {
      for (let i = 0; i < 12; i++) {
        const e = await feed.next({timeout: 5});
        if (e.event === 'stock') {
          const {product_id: id} = e.json<{product_id: number}>();
          await http.get(`/api/products/${id}`, {name: 'GET /api/products/:id'});
        }
      }
    } finally {
      feed.close();
    }
  }),
]);

export default scenario({name: 'activity feed', users: [watcher]});
