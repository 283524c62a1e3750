import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it, vi} from 'vitest';

// conf, counted: the factory runs when something first imports it.
const conf = vi.hoisted(() => ({loads: 0}));
vi.mock('conf', async (importOriginal) => {
  conf.loads++;
  return importOriginal();
});

const {ProfileStore, configPath} = await import('../../source/config/store.js');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'brink-store-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

describe('conf is loaded only when there is a file to read or something to save', () => {
  it('a run with no config file reads no profile and does not load conf', async () => {
    const store = await ProfileStore.open({BRINK_CONFIG_DIR: tempDir()});
    expect(store.all()).toEqual({});
    expect(store.get('defaults')).toBeUndefined();
    expect(conf.loads).toBe(0);
  });

  it('a config file is read through conf', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({profiles: {defaults: {argv: ['--step=7'], savedAt: '2026-11-22T00:00:00Z'}}}));
    const store = await ProfileStore.open({BRINK_CONFIG_DIR: dir});
    expect(store.get('defaults')?.argv).toEqual(['--step=7']);
    expect(conf.loads).toBe(1);
  });

  it('a store opened to write saves where a later run finds it', async () => {
    const dir = tempDir();
    const writer = await ProfileStore.open({BRINK_CONFIG_DIR: dir}, {writing: true});
    writer.save('staging', ['--host=http://staging']);
    const reader = await ProfileStore.open({BRINK_CONFIG_DIR: dir});
    expect(reader.names()).toEqual(['staging']);
    expect(reader.path).toBe(join(dir, 'config.json'));
  });

  it("the default path is conf's own (XDG_CONFIG_HOME on Linux)", async () => {
    const home = tempDir();
    vi.stubEnv('XDG_CONFIG_HOME', home);
    try {
      const {default: Conf} = await import('conf');
      const real = new Conf({projectName: 'brink', projectSuffix: ''});
      expect(configPath(undefined)).toBe(real.path);
      if (process.platform === 'linux') expect(real.path).toBe(join(home, 'brink', 'config.json'));
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
