// `--before REF`: an earlier brink, built from git, measured in the same run as this one, so that a change's
// before and after come from the same machine, the same targets and the same minutes (issue 24: on this box
// runs an hour apart differ by more than most changes). The earlier tree is exported with `git archive`
// into a temporary folder and built there; it shares this checkout's node_modules when its lockfile is the
// same, and installs its own (npm ci) when not.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const git = (root, args, opts = {}) => spawnSync('git', args, {cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, ...opts});

/** Builds `ref` of the repository at `root`; returns its commit and its bin/brink.js, or throws saying what to fix. */
export function prepareBefore(root, ref, log) {
  const rev = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (rev.status !== 0) throw new Error(`--before ${ref}: not a commit of this repository (try a hash from git log, or HEAD~3)`);
  const commit = rev.stdout.trim();
  const short = commit.slice(0, 7);
  const dir = join(tmpdir(), `brink-bench-before-${short}`);
  const bin = join(dir, 'bin/brink.js');
  // Built once and kept: a second bench against the same commit starts at once.
  if (existsSync(join(dir, 'dist/cli.js'))) return {ref, commit: short, bin, dir};
  log(`building brink ${short} (--before ${ref}) in ${dir}…`);
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  const archive = git(root, ['archive', '--format=tar', commit], {encoding: 'buffer'});
  if (archive.status !== 0) throw new Error(`--before ${ref}: git archive failed: ${String(archive.stderr).trim()}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], {input: archive.stdout});
  if (untar.status !== 0) throw new Error(`--before ${ref}: tar failed: ${String(untar.stderr).trim()}`);
  const sameLock = readFileSync(join(dir, 'package-lock.json'), 'utf8') === readFileSync(join(root, 'package-lock.json'), 'utf8');
  if (sameLock && existsSync(join(root, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  else {
    log(`  its package-lock.json differs from this checkout's: npm ci --ignore-scripts there…`);
    const ci = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {cwd: dir, encoding: 'utf8'});
    if (ci.status !== 0)
      throw new Error(`--before ${ref}: npm ci failed: ${(ci.stdout + ci.stderr).trim().split('\n').slice(-3).join(' | ')}`);
  }
  const build = spawnSync('npm', ['run', 'build'], {cwd: dir, encoding: 'utf8'});
  if (build.status !== 0) {
    rmSync(join(dir, 'dist'), {recursive: true, force: true}); // not kept half built
    throw new Error(`--before ${ref}: its build failed: ${(build.stdout + build.stderr).trim().split('\n').slice(-3).join(' | ')}`);
  }
  return {ref, commit: short, bin, dir};
}
