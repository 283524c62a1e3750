// The built-in demo target, for `brink demo` and tests.
export {createShop, startShop} from './shop.js';
export type {Shop, ShopOptions, ShopStats, RunningShop, StartShopOptions} from './shop.js';
export {startShopInThread, serveOnly} from './in-thread.js';
export type {ThreadedShop, ServeOnlyOptions} from './in-thread.js';
