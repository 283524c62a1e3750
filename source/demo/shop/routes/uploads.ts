// Multipart uploads: an avatar (session cookie or bearer token) and CSV imports, which the API accepts at once
// (202) and reports as pending, then processing, then done over `importMs`, for scenarios that poll.
import {multipartBoundary, parseMultipart, type Part} from '../../multipart.js';
import {randomId} from '../../tokens.js';
import {bearer, claimsOf, isClaims} from '../bearer.js';
import type {ShopParts} from '../parts.js';
import {json, type Reply} from '../reply.js';
import type {Ctx, Router} from '../router.js';
import type {ImportJob} from '../state.js';

const MAX_AVATAR = 5 << 20;

export function uploadRoutes(router: Router, {settings, state, tokens}: ShopParts): void {
  router.add('POST', '/upload/avatar', 40, (ctx) => {
    const who = state.session(ctx.cookies)?.user ?? claimsOf(bearer(tokens, ctx))?.sub;
    if (!who) return json(401, {error: 'not_authenticated', detail: 'sign in (session cookie) or send a bearer token'});
    if (ctx.body.length > MAX_AVATAR) return json(413, {error: 'file_too_large', detail: `at most ${MAX_AVATAR} bytes`});
    const file = filePart(ctx, ['avatar', 'file']);
    if ('status' in file) return file;
    const contentType = file.contentType ?? 'application/octet-stream';
    return json(201, {filename: file.filename, content_type: contentType, bytes: file.data.length, url: `/media/avatars/${who}.png`});
  });
  router.add('POST', '/api/imports', 50, (ctx) => {
    const who = bearer(tokens, ctx);
    if (!isClaims(who)) return who;
    const file = filePart(ctx, ['file']);
    if ('status' in file) return file;
    const lines = file.data
      .toString('utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    if (lines.length < 2) return json(422, {error: 'empty_import', detail: 'the CSV needs a header line and at least one row'});
    const filename = file.filename ?? 'import.csv';
    const job: ImportJob = {id: randomId(6), owner: who.sub, filename, rows: lines.length - 1, createdAt: Date.now()};
    state.addImport(job);
    return json(202, importStatus(job, settings.importMs), {location: `/api/imports/${job.id}`});
  });
  router.add('GET', '/api/imports/:id', 8, (ctx) => {
    const who = bearer(tokens, ctx);
    if (!isClaims(who)) return who;
    const job = state.imports.get(ctx.params[0]);
    if (!job || job.owner !== who.sub) return json(404, {error: 'not_found', detail: `no import ${ctx.params[0]}`});
    return json(200, importStatus(job, settings.importMs));
  });
}

/** The first file part among `names` (or any part with a file name); a 400 reply when there is none. */
function filePart(ctx: Ctx, names: ReadonlyArray<string>): Part | Reply {
  const boundary = multipartBoundary(ctx.req.headers['content-type']);
  if (!boundary) return json(400, {error: 'expected_multipart', detail: 'send multipart/form-data'});
  const parts = parseMultipart(ctx.body, boundary);
  if (!parts) return json(400, {error: 'malformed_multipart', detail: 'the multipart body could not be parsed'});
  const files = parts.filter((p) => p.filename !== undefined && p.data.length > 0);
  const file = files.find((p) => names.includes(p.name)) ?? files[0];
  return file ?? json(400, {error: 'no_file', detail: `no file part (expected a field named ${names.join(' or ')})`});
}

/** Pending for the first 15 % of `importMs`, then processing with a growing progress, then done. */
function importStatus(job: ImportJob, importMs: number): Record<string, unknown> {
  const elapsed = Date.now() - job.createdAt;
  const total = importMs;
  const pending = total * 0.15;
  const status = elapsed < pending ? 'pending' : elapsed < total ? 'processing' : 'done';
  const progress = status === 'pending' ? 0 : status === 'done' ? 1 : Math.min(0.99, (elapsed - pending) / (total - pending));
  const {id, filename, rows} = job;
  return {id, status, filename, rows, processed_rows: Math.floor(rows * progress), progress: Math.round(progress * 100) / 100};
}
