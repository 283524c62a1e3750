// Saved profiles, in conf's config file: `~/.config/brink/config.json` on Linux (`$XDG_CONFIG_HOME`),
// the platform's equivalent elsewhere, or `$BRINK_CONFIG_DIR/config.json` (tests always set it).
// A profile is the flags it was saved with, as canonical argv tokens.
import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import type Conf from 'conf';
import envPaths from 'env-paths';
import {UsageError} from '../kernel/errors.js';

export const CONFIG_DIR_ENV = 'BRINK_CONFIG_DIR';
/** The profile every run applies under its own flags and its --profile. */
export const DEFAULTS_PROFILE = 'defaults';

export interface Profile {
  /** Canonical tokens: `--host=http://…`, `--headless`, `--no-color`. */
  readonly argv: ReadonlyArray<string>;
  /** ISO time it was saved. */
  readonly savedAt: string;
}

interface Stored {
  profiles?: Record<string, Profile>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkProfileName(name: string | undefined, usage: string): string {
  if (!name) throw new UsageError(`${usage} needs a profile name`, 'BRINK_E_PROFILE');
  if (!NAME.test(name)) throw new UsageError(`'${name}' is not a profile name: use letters, digits, - and _ (up to 64)`, 'BRINK_E_PROFILE');
  return name;
}

/** Where conf keeps the file: the same env-paths lookup conf makes, so that finding it needs no conf. */
export function configPath(dir: string | undefined): string {
  return resolve(dir ?? envPaths('brink', {suffix: ''}).config, 'config.json');
}

export class ProfileStore {
  #conf: Conf<Stored> | undefined;
  readonly #cwd: string | undefined;
  readonly #Conf: typeof Conf | undefined;
  readonly path: string;

  /**
   * conf brings ajv and more with it, ~90 ms of every start-up: it is loaded to save or delete, or when
   * there is a file to read. Most runs have none, and read no profile.
   */
  static async open(env: NodeJS.ProcessEnv = process.env, {writing = false} = {}): Promise<ProfileStore> {
    const cwd = env[CONFIG_DIR_ENV] || undefined;
    const path = configPath(cwd);
    return new ProfileStore(cwd, path, writing || existsSync(path) ? (await import('conf')).default : undefined);
  }

  private constructor(cwd: string | undefined, path: string, ConfClass: typeof Conf | undefined) {
    this.#cwd = cwd;
    this.path = path;
    this.#Conf = ConfClass;
  }

  /** Opened on first use: conf reads the file (and makes its directory) when constructed. */
  #open(): Conf<Stored> {
    if (this.#conf) return this.#conf;
    if (!this.#Conf) throw new Error('the profile store was opened for reading only');
    try {
      // No `defaults`: conf would write the file at construction, even for a run that only reads it.
      this.#conf = new this.#Conf({projectName: 'brink', projectSuffix: '', ...(this.#cwd ? {cwd: this.#cwd} : {})});
    } catch (error) {
      const where = this.#cwd ? `${this.#cwd}/config.json` : 'the brink config file';
      const reason =
        error instanceof SyntaxError
          ? 'is not valid JSON (fix it, or delete it to start over)'
          : `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      throw new UsageError(`${where} ${reason}`, 'BRINK_E_PROFILE');
    }
    return this.#conf;
  }

  all(): Readonly<Record<string, Profile>> {
    if (!this.#Conf) return {}; // no file when the store was opened
    const conf = this.#open();
    const profiles = conf.get('profiles') ?? {};
    if (typeof profiles !== 'object' || Array.isArray(profiles))
      throw new UsageError(`${conf.path}: 'profiles' is not an object (fix it, or delete the file)`, 'BRINK_E_PROFILE');
    for (const [name, p] of Object.entries(profiles)) {
      if (!p || !Array.isArray(p.argv) || !p.argv.every((t) => typeof t === 'string')) {
        throw new UsageError(`${conf.path}: profile '${name}' is malformed (fix it, or brink profile delete ${name})`, 'BRINK_E_PROFILE');
      }
    }
    return profiles;
  }

  names(): string[] {
    return Object.keys(this.all()).sort();
  }

  get(name: string): Profile | undefined {
    return Object.hasOwn(this.all(), name) ? this.all()[name] : undefined;
  }

  /** The profile, or a usage error naming it and the profiles there are. */
  require(name: string): Profile {
    const found = this.get(name);
    if (found) return found;
    const names = this.names();
    throw new UsageError(
      names.length > 0
        ? `no profile '${name}' (profiles: ${names.join(', ')})`
        : `no profile '${name}': none saved yet (brink profile save ${name} --host <url> …)`,
      'BRINK_E_PROFILE',
    );
  }

  save(name: string, argv: ReadonlyArray<string>): {replaced: boolean} {
    const profiles = {...this.all()};
    const replaced = Object.hasOwn(profiles, name);
    profiles[name] = {argv: [...argv], savedAt: new Date().toISOString()};
    this.#open().set('profiles', profiles);
    return {replaced};
  }

  delete(name: string): void {
    this.require(name);
    const profiles = {...this.all()};
    delete profiles[name];
    this.#open().set('profiles', profiles);
  }
}
