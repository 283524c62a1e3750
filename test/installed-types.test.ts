// A project that installs brink gets the scenario API's types from the package itself (package.json `types`
// and `exports`), as an editor would: a scenario type-checks, and a mistake in one is named.
import {mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';
import {afterAll, describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'brink-user-project-'));
afterAll(() => rmSync(project, {recursive: true, force: true}));

/** Diagnostics of `file` in a user's project where node_modules/brink is this package (as `npm install` links a local one). */
function check(source: string, moduleResolution: ts.ModuleResolutionKind): string[] {
  mkdirSync(join(project, 'node_modules'), {recursive: true});
  try {
    symlinkSync(ROOT, join(project, 'node_modules', 'brink'), 'dir');
  } catch {
    // already linked
  }
  writeFileSync(join(project, 'package.json'), '{"type": "module", "dependencies": {"brink": "*"}}\n');
  const file = join(project, 'checkout.ts');
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: moduleResolution === ts.ModuleResolutionKind.Bundler ? ts.ModuleKind.ESNext : ts.ModuleKind.NodeNext,
    moduleResolution,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const GOOD = `import {scenario, user, task, between} from 'brink';
export default scenario({
  http2: true,
  users: [user('shopper', {wait: between(1, 2)}, [
    task('checkout', async ({http}) => {
      const res = await http.post('/api/orders', {json: {product_id: 1}, name: 'POST /api/orders'});
      res.check(res.status === 201, 'order not created');
    }),
  ])],
});
`;

/** A task's WebSockets and event streams, as an editor sees them. */
const SOCKETS = `import {scenario, user, task} from 'brink';
export default scenario({
  users: [user('chatter', [
    task('chat', async ({ws}) => {
      const sock = await ws.connect('/ws/chat', {name: 'WS /ws/chat', headers: {'x-room': 'lobby'}, protocols: ['chat.v1']});
      sock.send(JSON.stringify({say: 'hi'}));
      sock.send(new Uint8Array([1, 2]));
      const msg = await sock.next({timeout: 5});
      const said: string = msg.binary ? 'bytes' : msg.text();
      const ms: number | undefined = msg.elapsedMs;
      const body: {say: string} = msg.json();
      if (sock.open && sock.protocol === 'chat.v1' && said && ms !== undefined && body.say) sock.close(1000, 'bye');
    }),
    task('feed', async ({sse}) => {
      const stream = await sse.connect('/events', {name: 'SSE /events', query: {topic: 'orders'}, timeout: 10});
      const e = await stream.next({timeout: 2});
      const kind: string = e.event;
      const id: string | undefined = e.id;
      const order: {id: number} = e.json();
      if (kind && id && order.id && stream.open) stream.close();
    }),
  ])],
});
`;

describe('the scenario API as an installed package', () => {
  for (const [name, resolution] of [
    ['NodeNext', ts.ModuleResolutionKind.NodeNext],
    ['Bundler', ts.ModuleResolutionKind.Bundler],
  ] as const) {
    it(`type-checks a scenario (moduleResolution ${name}), and names a mistake in one`, () => {
      expect(check(GOOD, resolution)).toEqual([]);
      expect(check(GOOD.replace('http.post(', 'http.pots('), resolution)).toEqual([
        expect.stringMatching(/^Property 'pots' does not exist on type 'Http'/),
      ]);
      expect(check(GOOD.replace("'order not created'", '42'), resolution)).toEqual([
        expect.stringMatching(/^Argument of type 'number' is not assignable to parameter of type 'string'/),
      ]);
      expect(check(GOOD.replace('http2: true', "http2: 'yes'"), resolution)).toEqual([
        expect.stringMatching(/^Type 'string' is not assignable to type 'boolean( \| undefined)?'/),
      ]);
    });

    it(`types a task's ws and sse (moduleResolution ${name}), and names a mistake in them`, () => {
      expect(check(SOCKETS, resolution)).toEqual([]);
      expect(check(SOCKETS.replace('sock.send(JSON', 'sock.sned(JSON'), resolution)).toEqual([
        expect.stringMatching(/^Property 'sned' does not exist on type 'WsSocket'/),
      ]);
      expect(check(SOCKETS.replace('{timeout: 2}', "{timeout: '2s'}"), resolution)).toEqual([
        expect.stringMatching(/^Type 'string' is not assignable to type 'number'/),
      ]);
      expect(check(SOCKETS.replace('sock.send(new Uint8Array([1, 2]))', 'sock.send(42)'), resolution)).toEqual([
        expect.stringMatching(/^Argument of type 'number' is not assignable to parameter of type/),
      ]);
    });
  }
});
