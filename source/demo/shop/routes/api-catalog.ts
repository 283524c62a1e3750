// The JSON API's catalog: products paged, filtered by category or search, sorted; one product by id.
import type {Product} from '../../catalog.js';
import type {ShopParts} from '../parts.js';
import {json} from '../reply.js';
import {intParam} from '../request.js';
import type {Router} from '../router.js';

export function apiCatalogRoutes(router: Router, {catalog}: ShopParts): void {
  router.add('GET', '/api/products', 40, (ctx) => {
    const page = intParam(ctx.url, 'page', 1);
    const limit = intParam(ctx.url, 'limit', 20);
    if (page === undefined || page < 1 || limit === undefined || limit < 1 || limit > 100) {
      return json(400, {error: 'invalid_query', detail: 'page >= 1 and 1 <= limit <= 100'});
    }
    const category = ctx.url.searchParams.get('category');
    const q = ctx.url.searchParams.get('q');
    let list: ReadonlyArray<Product> = q ? catalog.search(q, Infinity) : catalog.products;
    if (category) list = list.filter((p) => p.category === category);
    const sort = ctx.url.searchParams.get('sort');
    if (sort === 'price_asc' || sort === 'price_desc' || sort === 'rating_desc') {
      const key = sort.startsWith('price') ? 'price' : 'rating';
      const sign = sort.endsWith('asc') ? 1 : -1;
      list = [...list].sort((a, b) => sign * (a[key] - b[key]));
    }
    const items = list.slice((page - 1) * limit, page * limit);
    return json(200, {items, page, limit, total: list.length, pages: Math.ceil(list.length / limit)});
  });
  router.add('GET', '/api/products/:id', 20, (ctx) => {
    const p = catalog.get(Number(ctx.params[0]));
    return p ? json(200, p) : json(404, {error: 'not_found', detail: `no product ${ctx.params[0]}`});
  });
}
