// The scenario's files shipped to agents: its bundle (esbuild's output, `brink` left external) and the csv()
// files its top level named, laid out on the agent as they were beside the scenario, so that relative paths
// resolve the same. The agent pulls them in chunks (a NATS message is capped, 1 MB by default) and checks each
// file's SHA-256.
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {basename, dirname, isAbsolute, join, relative, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {FileRequest, ShippedFile} from '../../protocol/agents.js';
import type {Workload} from '../../protocol/messages.js';

export interface Shipment {
  readonly files: ReadonlyArray<ShippedFile>;
  readonly bundle: string;
  readonly scenarioFile: string;
  /** Where each shipped path is read from on the controller. */
  readonly sources: ReadonlyMap<string, string>;
  /** csv() files named by an absolute path: not shipped (each agent reads its own). */
  readonly absolute: ReadonlyArray<string>;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * What a scenario workload ships. The scenario's directory becomes `d/d/…` under the run's directory, as deep
 * as the data files climb out of it (`../data/users.csv` needs one level), so every relative path stays inside.
 */
export function shipment(workload: Extract<Workload, {kind: 'scenario'}>): Shipment {
  const dir = dirname(workload.scenarioFile);
  const absolute: string[] = [];
  const data: Array<{rel: string; from: string}> = [];
  for (const file of workload.dataFiles ?? []) {
    const rel = relative(dir, file);
    if (isAbsolute(rel)) absolute.push(file);
    else data.push({rel, from: file});
  }
  const depth = Math.max(0, ...data.map(({rel}) => rel.split(sep).findIndex((part) => part !== '..')));
  const scenarioDir = ['d', ...Array<string>(depth).fill('d')].join('/');
  const sources = new Map<string, string>();
  const files: ShippedFile[] = [];
  const add = (path: string, from: string) => {
    const bytes = readFileSync(from);
    sources.set(path, from);
    files.push({path, size: bytes.length, sha256: sha256(bytes)});
  };
  add('scenario.mjs', fileURLToPath(workload.bundleUrl));
  for (const {rel, from} of data) add(join(scenarioDir, rel).split(sep).join('/'), from);
  return {files, bundle: 'scenario.mjs', scenarioFile: `${scenarioDir}/${basename(workload.scenarioFile)}`, sources, absolute};
}

/** The controller's answer to a chunk request: the bytes, or undefined for a path it did not ship. */
export function readChunk(shipment: Shipment, request: FileRequest, cache: Map<string, Uint8Array>): Uint8Array | undefined {
  const from = shipment.sources.get(request.path);
  if (from === undefined) return undefined;
  let bytes = cache.get(from);
  if (!bytes) cache.set(from, (bytes = readFileSync(from)));
  return bytes.subarray(request.offset, request.offset + request.length);
}

/** Writes the files into `root`, pulling each in chunks through `fetch`; throws when one is incomplete or altered. */
export async function receiveFiles(
  root: string,
  files: ReadonlyArray<ShippedFile>,
  chunkBytes: number,
  fetch: (request: FileRequest) => Promise<Uint8Array>,
): Promise<void> {
  for (const file of files) {
    const target = inside(root, file.path);
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < file.size) {
      const chunk = await fetch({path: file.path, offset: got, length: Math.min(chunkBytes, file.size - got)});
      if (chunk.length === 0) throw new Error(`${file.path}: the controller sent ${got} of ${file.size} bytes`);
      parts.push(chunk);
      got += chunk.length;
    }
    const bytes = Buffer.concat(parts);
    if (sha256(bytes) !== file.sha256) throw new Error(`${file.path}: its SHA-256 does not match what the controller announced`);
    mkdirSync(dirname(target), {recursive: true});
    writeFileSync(target, bytes);
  }
}

/** `path` under `root`, refused when it would leave it. */
export function inside(root: string, path: string): string {
  const target = resolve(root, path);
  if (!target.startsWith(resolve(root) + sep)) throw new Error(`${path}: not a path inside the run's directory`);
  return target;
}

/** The bundle, its `brink` import pointed at this machine's brink (the controller's path means nothing here). */
export function relinkBundle(file: string, theirs: string | undefined, ours: string): void {
  if (!theirs || theirs === ours) return;
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.split(theirs).join(ours));
}
