// The public HTML pages anyone can browse: home, pricing, the product list and pages, search, the stylesheet.
import * as pages from '../../pages.js';
import type {ShopParts} from '../parts.js';
import {html, notFound} from '../reply.js';
import {intParam} from '../request.js';
import type {Router} from '../router.js';

const PER_PAGE = 24;
const CSS = 'body{font-family:system-ui;margin:0 auto;max-width:60rem}\n';

export function storefrontRoutes(router: Router, {catalog}: ShopParts): void {
  router.add('GET', '/', 40, () => html(200, pages.homePage(catalog.products.slice(0, 12))));
  router.add('GET', '/pricing', 15, () => html(200, pages.pricingPage()));
  router.add('GET', '/products', 60, (ctx) => {
    const category = ctx.url.searchParams.get('category') ?? undefined;
    const list = category ? catalog.products.filter((p) => p.category === category) : catalog.products;
    const pagesTotal = Math.max(1, Math.ceil(list.length / PER_PAGE));
    const page = intParam(ctx.url, 'page', 1);
    if (page === undefined || page < 1) return html(400, pages.messagePage('Bad request', 'page must be a positive integer'));
    const shown = list.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    return html(page > pagesTotal ? 404 : 200, pages.productListPage(shown, page, pagesTotal, category));
  });
  router.add('GET', '/products/:id', 45, (ctx) => {
    const p = catalog.get(Number(ctx.params[0]));
    return p ? html(200, pages.productPage(p)) : notFound(ctx.url.pathname);
  });
  router.add('GET', '/search', 90, (ctx) => {
    const q = (ctx.url.searchParams.get('q') ?? '').slice(0, 200);
    return html(200, pages.searchPage(q, catalog.search(q)));
  });
  router.add(
    'GET',
    '/static/shop.css',
    0,
    () => ({
      status: 200,
      headers: {'content-type': 'text/css', 'cache-control': 'max-age=3600'},
      body: CSS,
    }),
    {bypass: true},
  );
}
