// Records HARs of the demo shop with a real browser: Debian's headless Chromium driven by playwright-core
// (no browser download), recording through `browser.newContext({recordHar})` as a person's browser would.
//
// The shop serves no page that calls its JSON API, so the API visit is what a single-page app does: it opens
// the shop's home page and calls the API with fetch() from that page (same origin), the way the app's script
// would after a click; Chromium records those calls as `fetch` entries beside the document and its stylesheet.
import {existsSync} from 'node:fs';
import type {Browser, Page} from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/**
 * Headless Chromium with no background traffic (this machine's network is closed). playwright-core starts it with
 * a new empty profile of its own (`--user-data-dir` in a temporary directory), removed when it closes.
 */
export async function launchChromium(): Promise<Browser> {
  const {chromium} = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Runs `visit` in a fresh context (no cookies) that records a HAR to `file`, written when the context closes. */
export async function record(browser: Browser, file: string, visit: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({recordHar: {path: file}});
  try {
    await visit(await context.newPage());
  } finally {
    await context.close();
  }
}

/** The JSON API from a page of the shop: log in for a bearer token, list, open a product, add it to the cart, check out. */
export async function apiVisit(page: Page, shop: string, account = {login: 'user5@example.com', password: 'pass5'}): Promise<void> {
  await page.goto(`${shop}/`);
  const result = await page.evaluate(async ({login, password}) => {
    const send = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(path, init);
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status}`);
      return res.json();
    };
    const jsonPost = {'content-type': 'application/json', accept: 'application/json'};
    const {access_token: token} = await send('/api/auth/login', {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({email: login, password}),
    });
    const auth = {authorization: `Bearer ${token}`, accept: 'application/json'};
    const list = await send('/api/products?limit=5&sort=rating_desc', {headers: auth});
    const id = list.items[0].id;
    await send(`/api/products/${id}`, {headers: auth});
    await send('/api/cart/items', {method: 'POST', headers: {...auth, ...jsonPost}, body: JSON.stringify({product_id: id, quantity: 1})});
    await send('/api/cart', {headers: auth});
    const order = await send('/api/orders', {
      method: 'POST',
      headers: {...auth, ...jsonPost},
      body: JSON.stringify({payment_method: 'card_test_visa'}),
    });
    return {token, order: order.id};
  }, account);
  if (typeof result.token !== 'string' || typeof result.order !== 'number')
    throw new Error(`the API visit went wrong: ${JSON.stringify(result)}`);
}

/** The HTML side: sign in through the form (CSRF), open the dashboard, then save the profile form (CSRF again). */
export async function formVisit(page: Page, shop: string, account = {login: 'user3', password: 'pass3'}, pause = 0): Promise<void> {
  if (!page.url().endsWith('/login')) await page.goto(`${shop}/login`);
  await page.waitForTimeout(pause);
  await page.fill('input[name=username]', account.login);
  await page.fill('input[name=password]', account.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL('**/dashboard');
  await page.waitForTimeout(pause);
  await page.click('nav a[href="/settings"]');
  await page.waitForURL('**/settings');
  await page.fill('input[name=display_name]', 'Recorded Member');
  await page.waitForTimeout(pause);
  await page.click('form[action="/profile"] button[type=submit]');
  await page.waitForURL('**/settings?saved=1');
}

/**
 * The example's visit (scenarios/har-shop.ts), with a person's pauses: the storefront, a product, the form login
 * and profile, then the page's script logs in to the API and checks out.
 */
export async function shopVisit(page: Page, shop: string): Promise<void> {
  await page.goto(`${shop}/`);
  await page.waitForTimeout(200);
  await page.click('ul.products li.product a >> nth=2');
  await page.waitForURL('**/products/*');
  await page.waitForTimeout(300);
  await page.click('nav a[href="/login"]');
  await page.waitForURL('**/login');
  await formVisit(page, shop, {login: 'user3', password: 'pass3'}, 200);
  await page.waitForTimeout(300);
  await apiVisitFromHere(page);
}

/** The API calls of apiVisit, made from the page already open (the same account as the form login, by user name). */
async function apiVisitFromHere(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const send = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(path, init);
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status}`);
      return res.json();
    };
    const {access_token: token} = await send('/api/auth/login', {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({username: 'user3', password: 'pass3'}),
    });
    const auth = {authorization: `Bearer ${token}`, accept: 'application/json'};
    const list = await send('/api/products?category=audio&limit=10', {headers: auth});
    await send('/api/cart/items', {
      method: 'POST',
      headers: {...auth, 'content-type': 'application/json'},
      body: JSON.stringify({product_id: list.items[0].id, quantity: 2}),
    });
    await send('/api/cart', {headers: auth});
    await send('/api/orders', {
      method: 'POST',
      headers: {...auth, 'content-type': 'application/json'},
      body: JSON.stringify({payment_method: 'card_test_visa'}),
    });
  });
}
