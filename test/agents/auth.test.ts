// NATS credentials and TLS as the server asks for them: a token (flag, variable or URL), a user and password in the
// URL, TLS with a CA of the test's own. A controller without the credentials stops at once, saying so, and never
// prints the secret.
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {countingServer} from '../cli/counting-server.js';
import {printedError, runCli} from '../cli/run-cli.js';
import {tempDir} from '../helpers/run.js';
import {natsServerBin, startAgent, startNats} from '../helpers/nats.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;

async function target() {
  const server = await countingServer();
  cleanups.push(() => server.close());
  return server;
}

describe.skipIf(!natsServerBin())('NATS credentials and TLS', () => {
  it('a token: the agent from BRINK_NATS_TOKEN, the controller from the URL; without it, exit 2 and no secret shown', async () => {
    const nats = await startNats({args: ['--auth', 's3cret-token']});
    cleanups.push(() => nats.close());
    const agent = await startAgent(nats.url, 'a1', ['--workers', '1', '--once'], {env: {BRINK_NATS_TOKEN: 's3cret-token'}});
    cleanups.push(() => agent.kill('SIGKILL'));
    const server = await target();
    const withToken = nats.url.replace('nats://', 'nats://s3cret-token@');
    const refused = await runCli([`${server.url}/`, '-c', '1', '-d', '1s', '--headless', '--agents', nats.url, '--agent-timeout', '2s']);
    expect(refused.code).toBe(2);
    expect(printedError(refused.stderr)).toMatchObject({
      code: 'BRINK_E_AGENTS',
      message: expect.stringMatching(/^cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: .*authori[sz]ation/i),
    });
    const ok = await runCli([`${server.url}/`, '-c', '2', '-d', '1s', '--headless', '--agents', withToken]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain('s3cret-token');
    expect(server.total()).toBeGreaterThan(0);
    expect(await agent.exited).toBe(0);
  });

  it('a user and password in the URL', async () => {
    const nats = await startNats({args: ['--user', 'brink', '--pass', 'pa55']});
    cleanups.push(() => nats.close());
    const url = nats.url.replace('nats://', 'nats://brink:pa55@');
    const agent = await startAgent(url, 'a1', ['--workers', '1', '--once']);
    cleanups.push(() => agent.kill('SIGKILL'));
    expect(agent.log()).not.toContain('pa55');
    const server = await target();
    const ok = await runCli([`${server.url}/`, '-c', '2', '-d', '1s', '--headless', '--agents', url]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await agent.exited).toBe(0);
  });

  it.skipIf(!HAS_OPENSSL)('TLS, the server certificate signed by a CA given with --nats-tls-ca', async () => {
    const tmp = tempDir('brink-nats-tls-');
    cleanups.push(() => tmp.cleanup());
    const f = (name: string) => join(tmp.dir, name);
    const openssl = (...args: string[]) => {
      const r = spawnSync('openssl', args, {encoding: 'utf8'});
      if (r.status !== 0) throw new Error(r.stderr);
    };
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=brink test CA',
    );
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
    tmp.write('ext.cnf', 'subjectAltName=IP:127.0.0.1\n');
    openssl(
      'x509',
      '-req',
      '-in',
      f('server.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f('server.pem'),
      '-days',
      '1',
      '-extfile',
      f('ext.cnf'),
    );
    const nats = await startNats({args: ['--tls', '--tlscert', f('server.pem'), '--tlskey', f('server.key')]});
    cleanups.push(() => nats.close());
    const url = nats.url.replace('nats://', 'tls://');
    const agent = await startAgent(url, 'a1', ['--workers', '1', '--once', '--nats-tls-ca', f('ca.pem')]);
    cleanups.push(() => agent.kill('SIGKILL'));
    const server = await target();
    const untrusted = await runCli([`${server.url}/`, '-c', '1', '-d', '1s', '--headless', '--agents', url, '--agent-timeout', '2s']);
    expect(untrusted.code).toBe(2);
    expect(printedError(untrusted.stderr).code).toBe('BRINK_E_AGENTS');
    const ok = await runCli([`${server.url}/`, '-c', '2', '-d', '1s', '--headless', '--agents', url, '--nats-tls-ca', f('ca.pem')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(server.total()).toBeGreaterThan(0);
    expect(await agent.exited).toBe(0);
  });
});
