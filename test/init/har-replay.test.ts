// The correlation kinds the demo shop does not use, replayed against a loopback server that checks them: a CSRF
// cookie echoed in a header (Django's AJAX way), rotated by the login, so only the latest cookie passes; a token
// from a page's <meta>; a nonce from a response header. The recording's values are not the server's: each run
// issues new ones, so a replay that copied a recorded string would get 403s.
import {afterAll, describe, expect, it} from 'vitest';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {randomBytes} from 'node:crypto';
import {parseHar} from '../../source/init/har-file.js';
import {scenarioFromHar} from '../../source/init/har.js';
import {run, scenarioFile} from '../helpers/run.js';
import {entry, har, html} from './har-builder.js';

const token = () => randomBytes(12).toString('hex');

/** The app: every check failed is a 403, counted. */
function startApp() {
  const metaTokens = new Set<string>();
  const nonces = new Set<string>();
  const sessions = new Set<string>();
  const counts: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = `${req.method} ${req.url}`;
      const cookies = Object.fromEntries((req.headers.cookie ?? '').split(/;\s*/).map((p) => p.split('=')));
      const reply = (status: number, body: string, headers: Record<string, string | string[]> = {}) => {
        counts[`${route} ${status}`] = (counts[`${route} ${status}`] ?? 0) + 1;
        res.writeHead(status, {'content-type': status === 200 && route === 'GET /app' ? 'text/html' : 'application/json', ...headers});
        res.end(body);
      };
      if (route === 'GET /app') {
        const meta = token();
        const nonce = token();
        metaTokens.add(meta);
        nonces.add(nonce);
        return reply(200, html(`<meta name="csrf-token" content="${meta}">`), {
          'set-cookie': `csrftoken=${token()}; Path=/`,
          'x-nonce': nonce,
        });
      }
      const csrfOk = typeof req.headers['x-csrftoken'] === 'string' && req.headers['x-csrftoken'] === cookies.csrftoken;
      if (route === 'POST /api/login') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const ok =
          csrfOk &&
          metaTokens.delete(String(req.headers['x-csrf-meta'])) &&
          nonces.delete(String(req.headers['x-nonce'])) &&
          form.get('username') === 'ann' &&
          form.get('password') === 'pw';
        if (!ok) return reply(403, '{"error":"forbidden"}');
        const session = token();
        sessions.add(session);
        // The CSRF cookie rotates at login: the recorded one, and the one before the login, are no good after it.
        return reply(200, '{"ok":true}', {'set-cookie': [`sessionid=${session}; Path=/`, `csrftoken=${token()}; Path=/`]});
      }
      if (route === 'POST /api/profile') {
        if (!sessions.has(cookies.sessionid) || !csrfOk) return reply(403, '{"error":"forbidden"}');
        return reply(200, '{"saved":true}');
      }
      reply(404, '{}');
    });
  });
  return new Promise<{url: string; counts: Record<string, number>; close(): Promise<void>}>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        counts,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

/** The recording: its tokens are the recording's own, none of which the server will issue again. */
const APP = 'http://app.test';
const RECORDING = har([
  entry('GET', `${APP}/app`, {
    at: 0,
    type: 'document',
    mime: 'text/html',
    content: html('<meta name="csrf-token" content="rec0meta0token0aaa">'),
    setCookies: ['csrftoken=rec0cookie0before0login; Path=/'],
    responseHeaders: [['X-Nonce', 'rec0nonce0bbbbbbbb']],
  }),
  entry('POST', `${APP}/api/login`, {
    at: 300,
    type: 'fetch',
    headers: {'X-CSRFToken': 'rec0cookie0before0login', 'X-CSRF-Meta': 'rec0meta0token0aaa', 'X-Nonce': 'rec0nonce0bbbbbbbb'},
    body: {mime: 'application/x-www-form-urlencoded', text: 'username=ann&password=pw'},
    mime: 'application/json',
    content: '{"ok":true}',
    setCookies: ['sessionid=rec0session0cccccc; Path=/', 'csrftoken=rec0cookie0after0login; Path=/'],
  }),
  entry('POST', `${APP}/api/profile`, {
    at: 400,
    type: 'fetch',
    headers: {'X-CSRFToken': 'rec0cookie0after0login', Cookie: 'sessionid=rec0session0cccccc; csrftoken=rec0cookie0after0login'},
    body: {mime: 'application/json', text: '{"name":"Ann"}'},
    mime: 'application/json',
    content: '{"saved":true}',
  }),
]);

let app: Awaited<ReturnType<typeof startApp>> | undefined;
afterAll(() => app?.close());

describe('brink init --from-har replayed against a server that checks what it issued', () => {
  it('a rotated CSRF cookie echoed in a header, a meta token, a header nonce: no 403, every request made', async () => {
    app = await startApp();
    const generated = scenarioFromHar(parseHar(RECORDING, 'app.har'), 'app.har', 'app.ts');
    expect(generated.source).not.toMatch(/rec0/);
    const loaded = await scenarioFile(generated.source, 'app.ts');
    try {
      const {final} = await run({workload: loaded.workload, host: app.url, users: 2, durationMs: 1500});
      const statuses = Object.fromEntries(final.endpoints.map((e) => [e.key, e.statusCodes]));
      expect(final.totals.failures, JSON.stringify(statuses)).toBe(0);
      expect(final.scriptErrors).toEqual([]);
      expect(Object.keys(app.counts).filter((k) => !k.endsWith(' 200'))).toEqual([]);
      for (const route of ['GET /app', 'POST /api/login', 'POST /api/profile'])
        expect(app.counts[`${route} 200`] ?? 0, route).toBeGreaterThan(0);
    } finally {
      loaded.cleanup();
    }
  }, 20_000);
});
