// The layers of ARCHITECTURE.md, held: every import between source folders goes down the layers (type-only
// imports too), no file is part of an import cycle, and `npm run lint` fails on an import that goes up.
import {readFileSync, readdirSync, statSync, existsSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';
import {ESLint} from 'eslint';
import {describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, 'source');
const {LAYERS} = (await import(join(ROOT, 'eslint.config.js'))) as {LAYERS: string[][]};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every relative import of every source file (type-only, dynamic and `import('…').T` too), resolved to a file. */
function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files(SOURCE)) {
    const {importedFiles} = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => {
        const base = resolve(dirname(file), spec).replace(/\.js$/, '');
        return [`${base}.ts`, `${base}.tsx`].find((candidate) => existsSync(candidate)) ?? `${base} (unresolved)`;
      });
    out.set(file, targets);
  }
  return out;
}

/** `kernel`, `worker`…, or the top-level file's own name. */
const folderOf = (file: string) => {
  const rel = relative(SOURCE, file).split('/');
  return rel.length > 1 ? rel[0] : rel[0] === 'index.ts' ? 'scenario' : 'cli';
};
const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

describe('architecture', () => {
  const g = graph();

  it('every source folder has a layer, and every import resolves to a file', () => {
    const unknown = [...new Set([...g.keys()].map(folderOf))].filter((f) => layerOf(f) < 0);
    expect(unknown).toEqual([]);
    const unresolved = [...g.values()].flat().filter((t) => t.endsWith('(unresolved)'));
    expect(unresolved).toEqual([]);
  });

  it('imports between folders go down the layers, type-only imports included', () => {
    const wrong: string[] = [];
    for (const [file, targets] of g) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (to !== from && layerOf(to) >= layerOf(from)) wrong.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no file is part of an import cycle, type-only imports included', () => {
    // Tarjan's strongly connected components: any with more than one file is a cycle.
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const cycles: string[][] = [];
    const visit = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      for (const w of g.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          component.push(relative(ROOT, w));
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const v of g.keys()) if (!index.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it('npm run lint fails on an import that goes up a layer, naming the rule', async () => {
    const eslint = new ESLint({cwd: ROOT});
    const [result] = await eslint.lintText("import {summaryText} from '../report/text.js';\nexport const x = summaryText;\n", {
      filePath: join(SOURCE, 'engine', 'not-allowed.ts'),
    });
    const messages = result.messages.map((m) => `${m.ruleId}: ${m.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^import-x\/no-restricted-paths: .*source\/engine is in layer 5/));
    // The same import from a layer above the report is fine.
    const [ok] = await eslint.lintText("import {summaryText} from '../report/text.js';\nexport const x = summaryText;\n", {
      filePath: join(SOURCE, 'cli', 'allowed.ts'),
    });
    expect(ok.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths')).toEqual([]);
  }, 30_000);
});
