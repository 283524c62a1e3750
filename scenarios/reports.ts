// An analyst's dashboard calling slow reporting endpoints (each holds a server worker for a few
// hundred ms), with short-lived bearer tokens. The access token's expiry is kept in `vars`; the user
// refreshes it before it runs out, and if a report still comes back 401 (the token expired while
// the request sat in the server's queue) it refreshes and asks again once. The helpers are in
// lib/api-auth.ts.
//
//   brink run scenarios/reports.ts --host http://localhost:8000
import {scenario, user, task, between, csv, type UserContext} from 'brink';
import {apiLogin, keepTokenFresh, refreshToken} from './lib/api-auth.js';

const accounts = csv<{username: string; password: string}>('data/accounts.csv');

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** GET a report; a 401 is answered by refreshing the token and asking once more. */
async function report(ctx: UserContext, path: string, query: Record<string, string | number>): Promise<void> {
  // Refresh ahead of time: cheaper than a failed report.
  if (!(await keepTokenFresh(ctx))) return;
  const res = await ctx.http.get(path, {query, expect: [200, 401]});
  if (res.status !== 401) return;
  // The token expired in flight. The 401 was expected above, so it is not a failure; the retry
  // below expects a 200 and fails if the refreshed token is refused too.
  if (await refreshToken(ctx)) await ctx.http.get(path, {query, expect: 200});
}

export const analyst = user(
  'analyst',
  {
    wait: between(2, 5),
    headers: {accept: 'application/json'},
    onStart: (ctx) => {
      const {username, password} = ctx.data(accounts);
      return apiLogin(ctx, `${username}@example.com`, password);
    },
  },
  [
    task(3, 'orders report', (ctx) =>
      report(ctx, '/api/reports/orders', {
        start_date: day(-30),
        end_date: day(0),
        status: 'completed',
        page: ctx.randomInt(1, 5),
        page_size: 50,
      }),
    ),
    task(2, 'customer metrics', (ctx) =>
      report(ctx, '/api/reports/customers', {
        segment: ctx.pick(['enterprise', 'business', 'starter']),
        period: 'last_90_days',
      }),
    ),
  ],
);

export default scenario({name: 'reports', users: [analyst]});
