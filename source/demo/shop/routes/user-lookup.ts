// The classic single endpoint (scenarios/user-lookup.ts): a profile lookup with a 10–100 ms database read.
import {json} from '../reply.js';
import type {Router} from '../router.js';

/** Ids 0..999 exist. */
const USER_IDS = 1000;

export function userLookupRoutes(router: Router): void {
  router.add('GET', '/user/:id', [10, 100], (ctx) => {
    const id = ctx.params[0];
    if (!/^\d+$/.test(id) || Number(id) >= USER_IDS) return json(404, {error: 'User not found'});
    return json(200, {id: Number(id), name: `User ${Number(id)}`, email: `user${Number(id)}@example.com`});
  });
}
