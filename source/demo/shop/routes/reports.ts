// The JSON API's slow reads: the orders report (the slowest route, its cost set by `reportMs`) and the customer
// summary. Their rows are made up from the row number, so any page of any size can be asked for.
import {bearer, isClaims} from '../bearer.js';
import {round2} from '../money.js';
import type {ShopParts} from '../parts.js';
import {json} from '../reply.js';
import {intParam} from '../request.js';
import type {Router} from '../router.js';

export function reportRoutes(router: Router, {settings, tokens}: ShopParts): void {
  router.add('GET', '/api/reports/orders', settings.reportMs, (ctx) => {
    const who = bearer(tokens, ctx);
    if (!isClaims(who)) return who;
    const page = intParam(ctx.url, 'page', 1);
    const size = intParam(ctx.url, 'page_size', 50);
    if (page === undefined || page < 1 || size === undefined || size < 1 || size > 200) {
      return json(400, {error: 'invalid_query', detail: 'page >= 1 and 1 <= page_size <= 200'});
    }
    const status = ctx.url.searchParams.get('status') ?? 'completed';
    const rows = Array.from({length: size}, (_, i) => {
      const n = (page - 1) * size + i;
      return {
        order_id: 10_001 + n,
        customer: `user${((n * 37) % 1000) + 1}`,
        status,
        total: round2(19.99 + ((n * 53) % 400)),
        created_at: new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString(),
      };
    });
    const {searchParams} = ctx.url;
    const period = {start_date: searchParams.get('start_date'), end_date: searchParams.get('end_date')};
    return json(200, {...period, page, page_size: size, total: 5000, rows});
  });
  router.add('GET', '/api/reports/customers', 150, (ctx) => {
    const who = bearer(tokens, ctx);
    if (!isClaims(who)) return who;
    const segment = ctx.url.searchParams.get('segment') ?? 'all';
    const period = ctx.url.searchParams.get('period') ?? 'last_30_days';
    const top = Array.from({length: 10}, (_, i) => ({customer: `user${i * 97 + 1}`, orders: 40 - i * 3}));
    return json(200, {segment, period, customers: 1000, active: 612, churned: 23, revenue: 182_340.5, top});
  });
}
