// Secrets never reach an output: what redact() hides, and what it leaves alone (a user still finds the fault).
import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {forgetKnownSecrets, knownSecret, redact, redactDeep, redactWrites, REDACTED} from '../../source/kernel/redact.js';

describe('redact', () => {
  const hidden: Array<[string, string, string]> = [
    ['an Authorization header with its scheme', 'sent Authorization: Bearer sk_live_S3CR3T; got 401', 'sent Authorization: ***; got 401'],
    ['Basic credentials after =', 'authorization=Basic dXNlcjpwYXNz', 'authorization=***'],
    ['a quoted header value', "authorization='Bearer S3CR3T'", "authorization='***'"],
    ['a Cookie header, every cookie', 'Cookie: session=S3CR3T; theme=dark\nnext line', 'Cookie: ***\nnext line'],
    ['a Set-Cookie header', 'Set-Cookie: sid=S3CR3T; Path=/; HttpOnly', 'Set-Cookie: ***'],
    ['a session cookie on its own', 'session=sess-S3CR3T-1; HttpOnly', 'session=***; HttpOnly'],
    ['PHPSESSID and connect.sid', 'PHPSESSID=S3CR3T1 connect.sid=S3CR3T2', 'PHPSESSID=*** connect.sid=***'],
    ['an API key header', 'X-Api-Key: S3CR3T', 'X-Api-Key: ***'],
    [
      'JSON fields',
      '{"ok":false,"password":"S3CR3T","access_token":"S3CR3T","name":"ann"}',
      '{"ok":false,"password":"***","access_token":"***","name":"ann"}',
    ],
    ['a number in a secret JSON field', '{"client_secret": 12345, "id": 7}', '{"client_secret": "***", "id": 7}'],
    [
      'escaped JSON inside a string',
      String.raw`body {\"refresh_token\":\"S3CR3T\",\"n\":1}`,
      String.raw`body {\"refresh_token\":\"***\",\"n\":1}`,
    ],
    // Python/Django dumps reach the outputs through the message of a failed res.json(), and through body samples.
    ['a single-quoted (Python) dump', "{'username': 'ann', 'password': 'S3CR3T'}", "{'username': 'ann', 'password': '***'}"],
    [
      "a Django QueryDict's list",
      "<QueryDict: {'password': ['S3CR3T'], 'next': ['/']}>",
      "<QueryDict: {'password': ['***'], 'next': ['/']}>",
    ],
    ['a header in a dump', "{'Authorization': 'Bearer S3CR3T', 'Cookie': 'sid=S3CR3T'}", "{'Authorization': '***', 'Cookie': '***'}"],
    ['a double-quoted (Ruby) dump', '{"token"=>"S3CR3T", "id"=>1}', '{"token"=>"***", "id"=>1}'],
    ["Node's inspect", "{ user: 'ann', password: 'S3CR3T' }", "{ user: 'ann', password: *** }"],
    [
      'a dump cut short in an excerpt (res.json() on a body that is not JSON)',
      `response of POST /login (status 500) is not JSON: "{'user': 'ann', 'password': 'S3CR3T-and-then-cu"`,
      `response of POST /login (status 500) is not JSON: "{'user': 'ann', 'password': '***'"`,
    ],
    [
      'an escaped JSON excerpt cut short',
      String.raw`is not JSON: "{\"password\": \"S3CR3T-and-then-cu"`,
      String.raw`is not JSON: "{\"password\": \"***\""`,
    ],
    ['a query string', 'GET /reset?token=S3CR3T&user=bob', 'GET /reset?token=***&user=bob'],
    ['a form body', 'password=S3CR3T&username=ann', 'password=***&username=ann'],
    ['api-key / api_key / apikey', 'api-key=S1 api_key: S2 apikey=S3', 'api-key=*** api_key: *** apikey=***'],
    ['a quoted value', "csrfmiddlewaretoken='S3CR3T'", 'csrfmiddlewaretoken=***'],
    ['a URL password', 'connect http://bob:S3CR3T@db.local:5432/x', 'connect http://bob:***@db.local:5432/x'],
    ['a URL password with an @ in it', 'http://bob:S3@CR3T@db.local/x', 'http://bob:***@db.local/x'],
    ['a token as the URL user', 'clone https://ghp_S3CR3T@github.com/x', 'clone https://***@github.com/x'],
    ["a password in a URL typed without its scheme's colon", "'http//bob:S3CR3T@host/'", "'http//bob:***@host/'"],
    ['a bare bearer token', 'retry with Bearer abcdef123456', 'retry with Bearer ***'],
    ['a JSON web token anywhere', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl done', 'jwt *** done'],
    ['a JSON web token in a path', 'GET /verify/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl', 'GET /verify/***'],
  ];
  for (const [what, input, output] of hidden) {
    it(`hides ${what}`, () => {
      expect(redact(input)).toBe(output);
      expect(redact(input)).not.toMatch(/S3CR3T|S3@CR3T|S[123]\b/);
      expect(redact(output)).toBe(output);
    });
  }

  const kept = [
    'GET /api/tokens first http_503 at 20 users',
    'GET /api/secrets/:id',
    'Unexpected token < in JSON at position 0',
    "Expected property name or '}' in JSON at position 1",
    'step 4 of 12: 100 users',
    'p95 ×5.5 vs baseline (78.3ms → 431ms) at 100 users',
    'HTTP 503',
    'timeout after 30s',
    // Locations: a scenario file named like a secret is still where the fault is.
    'script error in checkout (client-secrets.ts:31): boom',
    'at file:///home/me/load/client-secrets.ts:31:7',
    'token.ts:12 secrets.json:3',
    // A threshold on an endpoint whose path ends like a secret's name, and words that are not credentials.
    'POST /oauth/token: p95<800ms',
    'Token expired, Basic authentication required',
    'sessions=5 inside=3',
    'report fixture (/tmp/brink-x/client-secrets.ts)',
  ];
  for (const text of kept) it(`leaves '${text}' alone`, () => expect(redact(text)).toBe(text));

  it('is idempotent', () => {
    const once = redact('Authorization: Bearer abcdefgh; {"password":"x"} token=y Cookie: a=b');
    expect(redact(once)).toBe(once);
    expect(once.split(REDACTED)).toHaveLength(5);
  });

  it('redactDeep redacts every string in nested data, keys too, and keeps the rest', () => {
    const data = {n: 3, ok: true, list: ['password=S3CR3T', {text: 'Cookie: a=S3CR3T'}], none: null, to: {'/cb?token=S3CR3T': 2}};
    const out = redactDeep(data);
    expect(out).toEqual({n: 3, ok: true, list: ['password=***', {text: 'Cookie: ***'}], none: null, to: {'/cb?token=***': 2}});
    expect(data.list[0]).toBe('password=S3CR3T'); // a copy, not in place
  });
});

describe('known secrets', () => {
  afterEach(() => forgetKnownSecrets());

  it('hides a credential brink was handed wherever it turns up, URL-encoded too', () => {
    knownSecret('hunter2 pw');
    expect(redact('page echoed hunter2 pw and hunter2%20pw')).toBe('page echoed *** and ***');
  });

  it('leaves values too short to be told from words', () => {
    knownSecret('pw');
    expect(redact('pwd is a command; pw')).toBe('pwd is a command; pw');
  });
});

describe('redactWrites', () => {
  it('redacts every string written to the stream; bytes pass as they are', () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (d) => (out += d));
    redactWrites(stream);
    stream.write('brink: --host: ftp://bob:S3CR3T@host/ is not an http(s) URL\n');
    stream.write(Buffer.from('raw\n'));
    expect(out).toBe('brink: --host: ftp://bob:***@host/ is not an http(s) URL\nraw\n');
  });
});
