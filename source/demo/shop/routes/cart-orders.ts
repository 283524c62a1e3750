// The JSON API's cart and checkout. A cart belongs to the login session (the token's `sid`). Checkout reserves
// stock under the global order lock, so checkouts run one at a time while holding their handler.
import type {Catalog} from '../../catalog.js';
import {bearer, isClaims} from '../bearer.js';
import {round2} from '../money.js';
import type {ShopParts} from '../parts.js';
import {badJson, json} from '../reply.js';
import {isObject, parseJson} from '../request.js';
import type {Router} from '../router.js';

export function cartOrderRoutes(router: Router, shop: ShopParts): void {
  const {catalog, state, tokens} = shop;
  router.add('POST', '/api/cart/items', 30, (ctx) => {
    const who = bearer(tokens, ctx);
    if (!isClaims(who)) return who;
    const body = parseJson(ctx.body);
    if (!isObject(body)) return badJson();
    const id = Number(body.product_id);
    const quantity = body.quantity === undefined ? 1 : Number(body.quantity);
    if (!Number.isInteger(id) || !Number.isInteger(quantity) || quantity < 1 || quantity > 99) {
      return json(422, {error: 'invalid_item', detail: 'product_id must be an integer and quantity 1..99'});
    }
    if (!catalog.get(id)) return json(404, {error: 'not_found', detail: `no product ${id}`});
    const cart = state.cart(who.sid);
    cart.set(id, Math.min(99, (cart.get(id) ?? 0) + quantity));
    return json(201, cartView(catalog, cart));
  });
  router.add('GET', '/api/cart', 15, (ctx) => {
    const who = bearer(tokens, ctx);
    if (!isClaims(who)) return who;
    return json(200, cartView(catalog, state.carts.get(who.sid) ?? new Map()));
  });
  router.add('POST', '/api/orders', 20, async (ctx) => {
    const who = bearer(tokens, ctx);
    if (!isClaims(who)) return who;
    const cart = state.carts.get(who.sid);
    if (!cart || cart.size === 0) return json(400, {error: 'cart_empty', detail: 'add items to the cart before checking out'});
    return shop.orderLock.hold(async () => {
      await shop.work(shop.settings.orderLockMs);
      const view = cartView(catalog, cart);
      const id = state.nextOrderId++;
      cart.clear();
      shop.counters.now.ordersCreated++;
      state.orderCounts.set(who.sub, (state.orderCounts.get(who.sub) ?? 0) + 1);
      const order = {id, status: 'confirmed', total: view.total, item_count: view.item_count};
      return json(201, order, {location: `/api/orders/${id}`});
    });
  });
}

function cartView(catalog: Catalog, cart: Map<number, number>): Record<string, unknown> {
  const items = [...cart].map(([id, quantity]) => {
    const p = catalog.get(id)!;
    return {product_id: id, name: p.name, quantity, unit_price: p.price, line_total: round2(p.price * quantity)};
  });
  return {items, item_count: items.reduce((n, i) => n + i.quantity, 0), total: round2(items.reduce((n, i) => n + i.line_total, 0))};
}
