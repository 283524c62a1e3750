// Every route of the shop, area by area. The order is the matching order (the first route whose method and
// pattern match wins), kept as it was when the routes lived in one file.
import type {ShopParts} from '../parts.js';
import {Router} from '../router.js';
import {accountRoutes} from './account.js';
import {apiAuthRoutes} from './api-auth.js';
import {apiCatalogRoutes} from './api-catalog.js';
import {cartOrderRoutes} from './cart-orders.js';
import {healthRoutes} from './health.js';
import {reportRoutes} from './reports.js';
import {storefrontRoutes} from './storefront.js';
import {uploadRoutes} from './uploads.js';
import {userLookupRoutes} from './user-lookup.js';

export function allRoutes(shop: ShopParts): Router {
  const router = new Router();
  storefrontRoutes(router, shop);
  accountRoutes(router, shop);
  apiAuthRoutes(router, shop);
  apiCatalogRoutes(router, shop);
  cartOrderRoutes(router, shop);
  reportRoutes(router, shop);
  uploadRoutes(router, shop);
  userLookupRoutes(router);
  healthRoutes(router, shop);
  return router;
}
