// An agent whose NATS server is not there (yet): it keeps trying, says so, joins once the server comes up, and a
// signal stops it meanwhile (it ignored SIGTERM and SIGINT while it had never reached the server).
import {createServer} from 'node:net';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {natsServerBin, startAgent, startNats} from '../helpers/nats.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A loopback port nothing listens on (just freed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!natsServerBin())('an agent before its NATS server', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('keeps trying, says so, and %s stops it', async (signal) => {
    const port = await freePort();
    const agent = await startAgent(`nats://127.0.0.1:${port}`, 'early', [], {waitForRun: false});
    cleanups.push(() => agent.kill('SIGKILL'));
    await agent.waitFor(/ECONNREFUSED.*trying again every second/, 5000);
    const sent = Date.now();
    agent.kill(signal);
    const code = await Promise.race([agent.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 5000))]);
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(3000);
  });

  it('joins once the server comes up', async () => {
    const port = await freePort();
    const agent = await startAgent(`nats://127.0.0.1:${port}`, 'patient', [], {waitForRun: false});
    cleanups.push(() => agent.kill('SIGKILL'));
    await agent.waitFor(/trying again every second/, 5000);
    const nats = await startNats({args: ['-p', String(port)]});
    cleanups.push(() => nats.close());
    expect(nats.port).toBe(port);
    await agent.waitFor(/connected to nats:\/\/127\.0\.0\.1:\d+, waiting for a run/, 5000);
    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  });
});
