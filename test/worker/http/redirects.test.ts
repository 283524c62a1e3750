// Following a redirect: where it goes, with which method and body, and which headers stay behind.
import {describe, expect, it} from 'vitest';
import {firstHopName, hopHeaders, isRedirect, nextHop, strippedHeaders, type Hop} from '../../../source/worker/http/redirects.js';
import {classifyError} from '../../../source/worker/http/classify.js';

const hop = (status: number, location: string, method = 'GET', from = 'http://a.test:8000/x/y?q=1') =>
  nextHop(status, location, from, method) as Hop;

describe('a redirect', () => {
  it('is a 3xx with a Location: a 304 or a 300 without one is the response', () => {
    expect(isRedirect(302, '/a')).toBe(true);
    expect(isRedirect(304, undefined)).toBe(false);
    expect(isRedirect(300, undefined)).toBe(false);
    expect(isRedirect(200, '/a')).toBe(false);
    expect(isRedirect(400, '/a')).toBe(false);
  });

  it('resolves its Location against the URL it came from, without a fragment', () => {
    expect(hop(302, '/login?next=%2F#top').url.href).toBe('http://a.test:8000/login?next=%2F');
    expect(hop(302, 'z').url.href).toBe('http://a.test:8000/x/z');
    expect(hop(301, 'https://b.test/p').url.href).toBe('https://b.test/p');
    expect(hop(307, '//c.test:9/p').url.href).toBe('http://c.test:9/p');
  });

  it('turns a 303 (and a 301/302 after a POST) into a GET without the body, as browsers do; 307/308 keep both', () => {
    expect(hop(303, '/a', 'POST')).toMatchObject({method: 'GET', dropBody: true});
    expect(hop(303, '/a', 'PUT')).toMatchObject({method: 'GET', dropBody: true});
    expect(hop(303, '/a', 'HEAD')).toMatchObject({method: 'HEAD', dropBody: true});
    expect(hop(302, '/a', 'POST')).toMatchObject({method: 'GET', dropBody: true});
    expect(hop(301, '/a', 'POST')).toMatchObject({method: 'GET', dropBody: true});
    expect(hop(302, '/a', 'PUT')).toMatchObject({method: 'PUT', dropBody: false});
    expect(hop(307, '/a', 'POST')).toMatchObject({method: 'POST', dropBody: false});
    expect(hop(308, '/a', 'PATCH')).toMatchObject({method: 'PATCH', dropBody: false});
  });

  it('to something that is not an http(s) URL is a protocol failure, not followed', () => {
    for (const location of ['ftp://a.test/f', 'mailto:x@a.test', 'http://[bad']) {
      const e = nextHop(302, location, 'http://a.test/', 'GET');
      expect(e, location).toBeInstanceOf(Error);
      expect(classifyError(e), location).toBe('protocol');
    }
  });

  it('names its first hop by path, with the origin when it leaves it (never the query: it may carry a token)', () => {
    expect(firstHopName('http://a.test:8000', new URL('http://a.test:8000/login?token=s3cret'))).toBe('/login');
    expect(firstHopName('http://a.test:8000', new URL('https://a.test:8000/login'))).toBe('https://a.test:8000/login');
    expect(firstHopName('http://a.test:8000', new URL('http://a.test:8001/login'))).toBe('http://a.test:8001/login');
  });
});

describe("a hop's headers", () => {
  const strip = strippedHeaders(['X-Auth-Token']);
  const headers = {
    Host: 'a.test:8000',
    Authorization: 'Bearer t',
    'Proxy-Authorization': 'Basic p',
    Cookie: 'sid=1',
    'X-Api-Key': 'k',
    'x-auth-token': 'tok',
    Accept: 'text/html',
    'Content-Type': 'application/json',
  };

  it('keep the credentials within the origin, with the host of the hop', () => {
    const same = hopHeaders(headers, hop(307, '/next', 'POST'), false, strip);
    expect(same).toEqual({
      host: 'a.test:8000',
      authorization: 'Bearer t',
      'proxy-authorization': 'Basic p',
      cookie: 'sid=1',
      'x-api-key': 'k',
      'x-auth-token': 'tok',
      accept: 'text/html',
      'content-type': 'application/json',
    });
  });

  it('drop them (and the --strip-header ones) once the chain left the origin; the rest go on', () => {
    const other = hopHeaders(headers, hop(307, 'http://b.test/next', 'POST'), true, strip);
    expect(other).toEqual({host: 'b.test', accept: 'text/html', 'content-type': 'application/json'});
  });

  it("drop the body's headers with the body", () => {
    expect(
      hopHeaders({'content-type': 'application/json', 'content-length': '5', accept: '*/*'}, hop(303, '/a', 'POST'), false, strip),
    ).toEqual({
      host: 'a.test:8000',
      accept: '*/*',
    });
  });

  it('the credentials are always stripped, whatever --strip-header adds', () => {
    expect([...strippedHeaders()]).toEqual(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);
    expect(strippedHeaders(['X-Token']).has('x-token')).toBe(true);
  });
});
