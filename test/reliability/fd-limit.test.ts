// brink out of file descriptors: every connection it could not open is a failure of its own kind, `fd_limit`, whose
// message says to raise `ulimit -n`, and the run goes on and ends with its summary. The limit is lowered under a
// running brink with prlimit (util-linux), against a loopback server that closes every connection, so that brink
// keeps opening new ones. Skipped where prlimit is missing.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {createServer, type AddressInfo, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startCli} from '../cli/run-cli.js';
import {sleep} from '../helpers/run.js';

const hasPrlimit = (() => {
  try {
    execFileSync('prlimit', ['--version'], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
})();

let server: Server;
let url = '';
let served = 0;
beforeAll(async () => {
  server = createServer((socket) => {
    socket.on('error', () => {});
    socket.on('data', () => {
      served++;
      socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe.skipIf(!hasPrlimit)('too many open files', () => {
  it('is fd_limit, with a hint about ulimit -n; the run goes on and writes its summary', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'brink-fd-')), 'fd.json');
    const {child, result} = startCli([url, '-c', '50', '-d', '3s', '--headless', '--workers', '1', '--json', json]);
    // Lowered once the run is going (the start-up itself opens many files at once): below what 50 connections need.
    await sleep(1200);
    execFileSync('prlimit', ['--pid', String(child.pid), '--nofile=40:40']);
    const r = await result;
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    const [e] = summary.endpoints;
    console.log(`fd limit: ${e.requests} requests, ${JSON.stringify(e.failuresByKind)}, served ${served}`);
    expect(e.failuresByKind.fd_limit).toBeGreaterThan(0);
    expect(e.errors.find((x: {kind: string}) => x.kind === 'fd_limit').message).toBe(
      'too many open files (EMFILE): no connection could be opened; raise the limit with `ulimit -n` (e.g. ulimit -n 65536), or run fewer users',
    );
    // Every response brink counted is one the server sent; the rest never left brink.
    expect(e.statusCodes['200']).toBe(served);
    expect(r.stdout).toContain('fd_limit');
  }, 30_000);
});
