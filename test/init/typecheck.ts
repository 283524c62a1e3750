// Type-checks scenario files as a user's project would (strict, `brink` resolving to this package's
// source), reporting only the diagnostics in those files.
import {writeFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function typeErrors(files: ReadonlyArray<string>): string[] {
  // NodeNext reads the nearest package.json for the module format: the files are ES modules, as in a user's project.
  for (const dir of new Set(files.map((f) => dirname(f)))) writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUnusedLocals: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    paths: {brink: [join(ROOT, 'source/index.ts')]},
  });
  const mine = new Set(files.map((f) => resolve(f)));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && mine.has(resolve(d.file.fileName)))
    .map((d) => {
      const {line, character} = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${d.file!.fileName}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}
