import {describe, expect, it} from 'vitest';
import {guardTarget} from '../../source/cli/target-guard.js';
import {isPrivateAddress} from '../../source/kernel/private-address.js';

describe('which targets need a confirmation', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.1.1', true],
    ['100.64.0.1', true],
    ['8.8.8.8', false],
    ['203.0.113.10', false],
    ['::1', true],
    ['fd12::1', true],
    ['fe80::1', true],
    ['2001:db8::1', false],
    ['::ffff:10.0.0.1', true],
  ])('%s private: %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });

  it('loopback names and addresses pass without a question; --yes skips the check', async () => {
    // false: the workers still hold back requests to hosts that are not loopback or private (a redirect elsewhere).
    await expect(guardTarget('http://localhost:8000/', false, false)).resolves.toBe(false);
    await expect(guardTarget('http://[::1]:8000/', false, false)).resolves.toBe(false);
    // true: --yes lets every request go, to this host and to any other.
    await expect(guardTarget('http://203.0.113.10/', true, false)).resolves.toBe(true);
    await expect(guardTarget('http://203.0.113.10/', false, false)).rejects.toThrow(/pass --yes/);
  });
});
