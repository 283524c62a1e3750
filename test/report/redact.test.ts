// Secrets never reach a report: what redact() hides, and what it leaves alone.
import {describe, expect, it} from 'vitest';
import {redact, redactDeep, REDACTED} from '../../source/report/redact.js';

describe('redact', () => {
  const hidden: Array<[string, string, string]> = [
    ['an Authorization header with its scheme', 'sent Authorization: Bearer sk_live_S3CR3T; got 401', 'sent Authorization: ***; got 401'],
    ['Basic credentials after =', 'authorization=Basic dXNlcjpwYXNz', 'authorization=***'],
    ['a Cookie header, every cookie', 'Cookie: session=S3CR3T; theme=dark\nnext line', 'Cookie: ***\nnext line'],
    ['a Set-Cookie header', 'Set-Cookie: sid=S3CR3T; Path=/; HttpOnly', 'Set-Cookie: ***'],
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
    ['a query string', 'GET /reset?token=S3CR3T&user=bob', 'GET /reset?token=***&user=bob'],
    ['a form body', 'password=S3CR3T&username=ann', 'password=***&username=ann'],
    ['api-key / api_key / apikey', 'api-key=S1 api_key: S2 apikey=S3', 'api-key=*** api_key: *** apikey=***'],
    ['a quoted value', "csrfmiddlewaretoken='S3CR3T'", 'csrfmiddlewaretoken=***'],
    ['a URL password', 'connect http://bob:S3CR3T@db.local:5432/x', 'connect http://bob:***@db.local:5432/x'],
    ['a bare bearer token', 'retry with Bearer abcdef123456', 'retry with Bearer ***'],
    ['a JSON web token anywhere', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl done', 'jwt *** done'],
  ];
  for (const [what, input, output] of hidden) {
    it(`hides ${what}`, () => {
      expect(redact(input)).toBe(output);
      expect(redact(input)).not.toContain('S3CR3T');
    });
  }

  const kept = [
    'GET /api/tokens first http_503 at 20 users',
    'Unexpected token < in JSON at position 0',
    'step 4 of 12: 100 users',
    'p95 ×5.5 vs baseline (78.3ms → 431ms) at 100 users',
    'HTTP 503',
    'timeout after 30s',
  ];
  for (const text of kept) it(`leaves '${text}' alone`, () => expect(redact(text)).toBe(text));

  it('is idempotent', () => {
    const once = redact('Authorization: Bearer abcdefgh; {"password":"x"} token=y Cookie: a=b');
    expect(redact(once)).toBe(once);
    expect(once.split(REDACTED)).toHaveLength(5);
  });

  it('redactDeep redacts every string in nested data and keeps the rest', () => {
    const data = {n: 3, ok: true, list: ['password=S3CR3T', {text: 'Cookie: a=S3CR3T'}], none: null};
    const out = redactDeep(data);
    expect(out).toEqual({n: 3, ok: true, list: ['password=***', {text: 'Cookie: ***'}], none: null});
    expect(data.list[0]).toBe('password=S3CR3T'); // a copy, not in place
  });
});
