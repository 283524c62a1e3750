// The cookie jar's cache in front of tough-cookie: it must never send a cookie the jar would not.
import {describe, expect, it} from 'vitest';
import {Cookies} from '../../../source/worker/users/cookies.js';
import {sleep} from '../../helpers/run.js';

const ORIGIN = 'http://shop.test';

describe("a user's cookie jar", () => {
  it('sends what was set, by path; a new cookie counts at once', () => {
    const jar = new Cookies();
    expect(jar.header(ORIGIN, '/')).toBe('');
    jar.store(['sid=1; Path=/', 'cart=7; Path=/cart'], `${ORIGIN}/login`);
    expect(jar.header(ORIGIN, '/')).toBe('sid=1');
    expect(jar.header(ORIGIN, '/cart/items')).toBe('cart=7; sid=1');
    // A query is not part of the path the cookies match.
    expect(jar.header(ORIGIN, '/cart?page=2')).toBe('cart=7; sid=1');
    expect(jar.header(ORIGIN, '/shop?back=/cart')).toBe('sid=1');
    // Another origin between two asks of this one: each gets its own cookies.
    expect(jar.header('http://other.test', '/cart')).toBe('');
    expect(jar.header(ORIGIN, '/cart')).toBe('cart=7; sid=1');
    jar.store('sid=2; Path=/', `${ORIGIN}/login`);
    expect(jar.header(ORIGIN, '/')).toBe('sid=2');
    expect(jar.header('http://other.test', '/')).toBe('');
    jar.clear();
    expect(jar.header(ORIGIN, '/cart/items')).toBe('');
  });

  it('stops sending a cookie once it expires, though nothing else changed', async () => {
    const jar = new Cookies();
    jar.store(['sid=1; Path=/', 'flash=hi; Path=/; Max-Age=1'], `${ORIGIN}/`);
    expect(jar.header(ORIGIN, '/')).toBe('sid=1; flash=hi');
    expect(jar.header(ORIGIN, '/', Date.now() + 500)).toBe('sid=1; flash=hi');
    await sleep(1100);
    expect(jar.header(ORIGIN, '/')).toBe('sid=1');
    // Without any cookie that expires, the answer read once keeps holding.
    expect(jar.header(ORIGIN, '/', Date.now() + 3_600_000)).toBe('sid=1');
  });
});
