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
  users: [user('shopper', {wait: between(1, 2)}, [
    task('checkout', async ({http}) => {
      const res = await http.post('/api/orders', {json: {product_id: 1}, name: 'POST /api/orders'});
      res.check(res.status === 201, 'order not created');
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
    });
  }
});
