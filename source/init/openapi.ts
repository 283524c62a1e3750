// `brink init --from-openapi`: an OpenAPI 3.0/3.1 or Swagger 2.0 document → a scenario skeleton with one
// named task per operation. Path parameters, query and bodies are filled from the spec's examples, or
// from its schemas when it has none (marked TODO); reads weigh more than writes; a bearer/basic/API-key
// scheme becomes an onStart hook the user completes.
import {readFileSync} from 'node:fs';
import {basename, extname} from 'node:path';
import {parse as parseYaml} from 'yaml';
import {UsageError} from '../kernel/errors.js';

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type Obj = {[key: string]: any};

export interface Operation {
  readonly method: string;
  /** The spec's path, `/pets/{petId}`. */
  readonly path: string;
  /** The task's and the endpoint's name, `GET /pets/:petId`. */
  readonly name: string;
  readonly weight: number;
}

export interface GeneratedScenario {
  readonly source: string;
  readonly title: string;
  /** `OpenAPI 3.0.3`, `Swagger 2.0`. */
  readonly version: string;
  readonly operations: ReadonlyArray<Operation>;
  /** The base URL from the spec's servers (or host), when it gives an absolute one. */
  readonly host?: string;
  /** The security scheme the onStart hook is for, if any. */
  readonly auth?: string;
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'] as const;
const WEIGHTS: Record<string, number> = {get: 3, head: 1, post: 1, put: 1, patch: 1, delete: 1};

/** Reads and parses a spec file (JSON or YAML); every problem is one usage line naming the file. */
export function readSpec(file: string): Obj {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (error as Error).message})`}`,
      'BRINK_E_INIT',
    );
  }
  const json = extname(file).toLowerCase() === '.json' || /^\s*[{[]/.test(text);
  let doc: unknown;
  try {
    doc = json ? JSON.parse(text) : parseYaml(text, {prettyErrors: false});
  } catch (error) {
    throw new UsageError(
      `${file}: not valid ${json ? 'JSON' : 'YAML'}: ${String((error as Error).message).split('\n')[0]}`,
      'BRINK_E_INIT',
    );
  }
  if (!isObj(doc)) throw new UsageError(`${file}: not an OpenAPI document (expected an object at the top)`, 'BRINK_E_INIT');
  const version = typeof doc.openapi === 'string' ? doc.openapi : typeof doc.swagger === 'string' ? doc.swagger : undefined;
  if (version === undefined)
    throw new UsageError(`${file}: not an OpenAPI document (no 'openapi: 3.x' or 'swagger: "2.0"' field)`, 'BRINK_E_INIT');
  if (!/^3\.[01](\.|$)/.test(version) && !/^2\.0$/.test(version))
    throw new UsageError(`${file}: OpenAPI ${version} is not supported (3.0, 3.1 and Swagger 2.0 are)`, 'BRINK_E_INIT');
  if (!isObj(doc.paths) || Object.keys(doc.paths).length === 0)
    throw new UsageError(`${file}: no paths in the spec: nothing to generate`, 'BRINK_E_INIT');
  return doc;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function scenarioFromOpenApi(spec: Obj, specFile: string, outFile: string): GeneratedScenario {
  const g = new Generator(spec);
  return g.generate(specFile, outFile);
}

class Generator {
  readonly swagger: boolean;

  constructor(readonly spec: Obj) {
    this.swagger = typeof spec.swagger === 'string';
  }

  /** Follows local `$ref`s (`#/components/schemas/Pet`); an external or broken one gives {}. */
  deref(value: unknown, depth = 0): Obj {
    if (!isObj(value)) return {};
    if (typeof value.$ref !== 'string') return value;
    if (depth > 20 || !value.$ref.startsWith('#/')) return {};
    let target: unknown = this.spec;
    for (const raw of value.$ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObj(target) || Array.isArray(target) ? (target as Obj)[key] : undefined;
    }
    return this.deref(target, depth + 1);
  }

  generate(specFile: string, outFile: string): GeneratedScenario {
    const spec = this.spec;
    const title =
      typeof spec.info?.title === 'string' && spec.info.title.trim() ? spec.info.title.trim() : basename(specFile, extname(specFile));
    const {host, prefix} = this.base();
    const auth = this.auth();
    const ops: Operation[] = [];
    const tasks: string[] = [];
    let wantsJson = false;
    for (const [path, rawItem] of Object.entries(spec.paths as Obj)) {
      if (!path.startsWith('/')) continue;
      const item = this.deref(rawItem);
      for (const method of METHODS) {
        if (!isObj(item[method])) continue;
        const op = item[method] as Obj;
        const name = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
        const weight = WEIGHTS[method];
        ops.push({method: method.toUpperCase(), path, name, weight});
        if (this.producesJson(op)) wantsJson = true;
        tasks.push(this.task(method, path, prefix, name, weight, op, [...arr(item.parameters), ...arr(op.parameters)]));
      }
    }
    if (ops.length === 0)
      throw new UsageError(
        `${specFile}: no operations (get, post, put, patch, delete, head) under paths: nothing to generate`,
        'BRINK_E_INIT',
      );

    const version = this.swagger ? `Swagger ${spec.swagger}` : `OpenAPI ${spec.openapi}`;
    const shown = basename(outFile);
    const header = [
      `// Generated by \`brink init --from-openapi ${basename(specFile)}\` from "${oneLine(title)}" (${version}): one task per`,
      '// operation, named like the operation (`GET /pets/:petId`), so each is one row in the table. Reads weigh',
      '// 3 and writes 1: set the weights to your traffic, fill the TODOs (ids that exist, a token, real',
      '// bodies), and delete the operations you do not want under load (deletes, payments…).',
      '//',
      host
        ? `//   brink run ${shown}            (host ${host}; --host replaces it, base path included)`
        : `//   brink run ${shown} --host <base URL of the API>`,
    ];
    const imports = ['scenario', 'user', 'task', 'between'];
    const lines: string[] = [...header, `import {${imports.join(', ')}} from 'brink';`, ''];
    if (auth?.constant) lines.push(auth.constant, '');
    const options = [`wait: between(1, 3)`];
    if (wantsJson) options.push(`headers: {accept: 'application/json'}`);
    const userOpts = auth ? `{\n  ${options.join(',\n  ')},\n${auth.hook}\n}` : `{${options.join(', ')}}`;
    lines.push(`export const client = user('client', ${userOpts}, [`);
    lines.push(...tasks);
    lines.push(']);', '');
    lines.push(`export default scenario({name: ${str(title)}, ${host ? `host: ${str(host)}, ` : ''}users: [client]});`, '');
    return {source: lines.join('\n'), title, version, operations: ops, host, auth: auth?.scheme};
  }

  /** The base URL (absolute: the scenario's host) or a path prefix (relative servers URL, Swagger basePath without host). */
  base(): {host?: string; prefix: string} {
    const spec = this.spec;
    if (this.swagger) {
      const basePath = typeof spec.basePath === 'string' ? spec.basePath.replace(/\/$/, '') : '';
      if (typeof spec.host === 'string' && spec.host) {
        const scheme =
          Array.isArray(spec.schemes) && spec.schemes.includes('https')
            ? 'https'
            : Array.isArray(spec.schemes) && spec.schemes.length > 0
              ? String(spec.schemes[0])
              : 'https';
        return {host: `${scheme}://${spec.host}${basePath}`, prefix: ''};
      }
      return {prefix: basePath};
    }
    const server = arr(spec.servers).find(isObj);
    if (!server || typeof server.url !== 'string') return {prefix: ''};
    const url = server.url
      .replace(/\{([^}]+)\}/g, (_: string, v: string) => {
        const variable = isObj(server.variables) ? server.variables[v] : undefined;
        return isObj(variable) && variable.default !== undefined ? String(variable.default) : v;
      })
      .replace(/\/$/, '');
    if (/^https?:\/\//i.test(url)) return {host: url, prefix: ''};
    return {prefix: url === '' || url.startsWith('/') ? url : `/${url}`};
  }

  producesJson(op: Obj): boolean {
    if (this.swagger)
      return (
        [...arr(op.produces), ...arr(this.spec.produces)].some((t) => typeof t === 'string' && /json/i.test(t)) ||
        (!op.produces && !this.spec.produces)
      );
    return Object.values(isObj(op.responses) ? op.responses : {}).some((r) =>
      Object.keys(this.deref(r).content ?? {}).some((t) => /json/i.test(t)),
    );
  }

  /** The hook for the spec's security scheme: the one its operations require, else the first declared. */
  auth(): {scheme: string; hook: string; constant?: string} | undefined {
    const spec = this.spec;
    const schemes: Obj = (this.swagger ? spec.securityDefinitions : spec.components?.securitySchemes) ?? {};
    if (!isObj(schemes) || Object.keys(schemes).length === 0) return undefined;
    const required = [
      spec.security,
      ...Object.values(isObj(spec.paths) ? spec.paths : {}).flatMap((item) => METHODS.map((m) => this.deref(item)[m]?.security)),
    ]
      .flatMap((list) => arr(list))
      .flatMap((req) => (isObj(req) ? Object.keys(req) : []));
    const order = [...new Set([...required, ...Object.keys(schemes)])].filter((n) => Object.hasOwn(schemes, n));
    for (const name of order) {
      const s = this.deref(schemes[name]);
      const type = String(s.type ?? '').toLowerCase();
      const httpScheme = String(s.scheme ?? '').toLowerCase();
      if ((type === 'http' && httpScheme === 'bearer') || type === 'oauth2' || type === 'openidconnect') {
        return {
          scheme: name,
          constant: `// TODO: the API wants a bearer token (security scheme '${oneLine(name)}'). Paste a test token here, or get\n// one per user in onStart below.\nconst TOKEN = 'TODO-paste-a-token';`,
          hook: [
            '  onStart: ({http}) => {',
            '    // TODO: log in the way your API hands out tokens, one per virtual user, e.g.',
            "    //   const res = await http.post('/auth/login', {json: {username: `user${userId}`, password: '…'}});",
            '    //   http.bearer(res.json().access_token);',
            '    // (make this function async, and take {http, userId}). Until then, every user sends TOKEN:',
            '    http.bearer(TOKEN);',
            '  },',
          ].join('\n'),
        };
      }
      if ((type === 'http' && httpScheme === 'basic') || type === 'basic') {
        return {
          scheme: name,
          constant: `// TODO: the API wants HTTP basic auth (security scheme '${oneLine(name)}'): a test account's user:password in\n// base64 (\`printf %s user:password | base64\`).\nconst AUTHORIZATION = 'Basic TODO-base64-of-user:password';`,
          hook: "  onStart: ({http}) => http.setHeader('authorization', AUTHORIZATION),",
        };
      }
      if (type === 'apikey' && typeof s.name === 'string') {
        const where = String(s.in ?? 'header');
        if (where === 'header') {
          return {
            scheme: name,
            constant: `// TODO: the API wants an API key in the ${str(s.name)} header (security scheme '${oneLine(name)}').\nconst API_KEY = 'TODO-api-key';`,
            hook: `  onStart: ({http}) => http.setHeader(${str(s.name)}, API_KEY),`,
          };
        }
        return {
          scheme: name,
          hook: `  // TODO: the API wants an API key in the ${oneLine(s.name)} ${where === 'query' ? 'query parameter' : 'cookie'} (security scheme '${oneLine(name)}'):\n  // add it to each request's ${where === 'query' ? '`query`' : '`headers: {cookie: …}`'}.`,
        };
      }
    }
    return undefined;
  }

  task(method: string, path: string, prefix: string, name: string, weight: number, op: Obj, rawParams: unknown[]): string {
    // Operation parameters override path-level ones with the same name and place.
    const params = new Map<string, Obj>();
    for (const raw of rawParams) {
      const p = this.deref(raw);
      if (typeof p.name === 'string' && typeof p.in === 'string') params.set(`${p.in}:${p.name}`, p);
    }
    const consts: string[] = [];
    const used = new Set<string>();
    // Path: each {param} a constant in the task, from the spec's example or a placeholder.
    const full = prefix + path;
    let template = '';
    let last = 0;
    for (const m of full.matchAll(/\{([^}]+)\}/g)) {
      template += escapeTemplate(full.slice(last, m.index));
      last = m.index! + m[0].length;
      const param = params.get(`path:${m[1]}`) ?? {name: m[1], in: 'path', schema: {type: 'string'}};
      const {value, fromSpec} = this.paramValue(param);
      const id = identifier(m[1], used);
      const literal =
        typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : str(typeof value === 'string' ? value : JSON.stringify(value));
      consts.push(`const ${id} = ${literal};${fromSpec ? " // the spec's example" : ` // TODO: an existing ${oneLine(m[1])}`}`);
      template += typeof value === 'number' || typeof value === 'boolean' ? `\${${id}}` : `\${encodeURIComponent(${id})}`;
    }
    template += escapeTemplate(full.slice(last));
    const url = consts.length > 0 ? `\`${template}\`` : str(full);

    const opts: string[] = [`name: ${str(name)}`];
    const query = [...params.values()].filter((p) => p.in === 'query');
    const required = query.filter((p) => p.required === true);
    if (required.length > 0)
      opts.push(`query: {${required.map((p) => `${key(p.name)}: ${queryLiteral(this.paramValue(p).value)}`).join(', ')}}`);
    const headers = [...params.values()].filter(
      (p) => p.in === 'header' && p.required === true && !/^(authorization|content-type|accept)$/i.test(p.name),
    );
    if (headers.length > 0)
      opts.push(
        `headers: {${headers.map((p) => `${str(String(p.name).toLowerCase())}: ${str(String(this.paramValue(p).value))}`).join(', ')}}`,
      );
    const body = this.body(op, [...params.values()]);
    if (body) opts.push(body);

    const notes: string[] = [];
    const summary = [op.operationId, op.summary]
      .filter((x) => typeof x === 'string' && x.trim())
      .map((x) => oneLine(x))
      .join(': ');
    if (summary) notes.push(summary);
    if (op.deprecated === true) notes.push('deprecated');
    const optional = query.filter((p) => p.required !== true).map((p) => p.name);
    if (optional.length > 0) notes.push(`optional query: ${optional.map(oneLine).join(', ')}`);
    const cookies = [...params.values()].filter((p) => p.in === 'cookie' && p.required === true).map((p) => p.name);
    if (cookies.length > 0) notes.push(`TODO: cookie ${cookies.map(oneLine).join(', ')}`);
    const comment = notes.length > 0 ? `  // ${notes.join(' · ')}\n` : '';

    const call = `http.${method}(${url}, {${opts.join(', ')}})`;
    const oneLiner = `  task(${weight}, ${str(name)}, ({http}) => ${call}),`;
    if (consts.length === 0 && !call.includes('\n') && oneLiner.length <= 120) return `${comment}${oneLiner}`;
    return `${comment}  task(${weight}, ${str(name)}, ({http}) => {\n${consts.map((c) => `    ${c}\n`).join('')}    return ${indentRest(call, 4)};\n  }),`;
  }

  /** A parameter's value: its example (fromSpec) or one made from its schema. */
  paramValue(p: Obj): {value: Json; fromSpec: boolean} {
    if (p.example !== undefined) return {value: p.example, fromSpec: true};
    if (p['x-example'] !== undefined) return {value: p['x-example'], fromSpec: true};
    if (isObj(p.examples)) {
      const first = this.deref(Object.values(p.examples)[0]);
      if (first.value !== undefined) return {value: first.value, fromSpec: true};
    }
    // Swagger 2.0 parameters carry their type themselves.
    const schema = this.deref(p.schema ?? p);
    const explicit =
      schema.example ??
      (Array.isArray(schema.examples) ? schema.examples[0] : undefined) ??
      schema.default ??
      (Array.isArray(schema.enum) ? schema.enum[0] : undefined);
    if (explicit !== undefined) return {value: explicit, fromSpec: true};
    return {value: this.example(schema, 0), fromSpec: false};
  }

  /** The request body option (`json: …`, `form: …`, `multipart: …`, `body: …`) or undefined. */
  body(op: Obj, params: Obj[]): string | undefined {
    if (this.swagger) {
      const bodyParam = params.find((p) => p.in === 'body');
      if (bodyParam) return `json: ${jsonLiteral(bodyParam['x-example'] ?? this.example(this.deref(bodyParam.schema), 0))}`;
      const form = params.filter((p) => p.in === 'formData');
      if (form.length === 0) return undefined;
      const multipart =
        form.some((p) => p.type === 'file') || arr(op.consumes ?? this.spec.consumes).some((t) => /multipart/i.test(String(t)));
      const fields = form.filter((p) => p.required === true || form.length <= 5);
      return multipart
        ? `multipart: {${fields.map((p) => `${key(p.name)}: ${p.type === 'file' ? FILE_PART : formLiteral(this.paramValue(p).value)}`).join(', ')}}`
        : `form: {${fields.map((p) => `${key(p.name)}: ${formLiteral(this.paramValue(p).value)}`).join(', ')}}`;
    }
    const requestBody = this.deref(op.requestBody);
    const content: Obj = isObj(requestBody.content) ? requestBody.content : {};
    const types = Object.keys(content);
    if (types.length === 0) return undefined;
    const jsonType = types.find((t) => /^application\/(.+\+)?json/i.test(t) || t === '*/*');
    const type =
      jsonType ?? types.find((t) => /x-www-form-urlencoded/i.test(t)) ?? types.find((t) => /multipart\/form-data/i.test(t)) ?? types[0];
    const media = this.deref(content[type]);
    const schema = this.deref(media.schema);
    let value: Json | undefined = media.example;
    if (value === undefined && isObj(media.examples)) value = this.deref(Object.values(media.examples)[0]).value;
    if (value === undefined) value = this.example(schema, 0);
    if (jsonType) return `json: ${jsonLiteral(value)}`;
    if (/x-www-form-urlencoded/i.test(type) && isObj(value))
      return `form: {${Object.entries(value)
        .map(([k, v]) => `${key(k)}: ${formLiteral(v)}`)
        .join(', ')}}`;
    if (/multipart\/form-data/i.test(type) && isObj(value)) {
      const props: Obj = isObj(schema.properties) ? schema.properties : {};
      return `multipart: {${Object.entries(value)
        .map(([k, v]) => {
          const prop = this.deref(props[k]);
          return `${key(k)}: ${prop.format === 'binary' || prop.format === 'base64' || prop.contentMediaType ? FILE_PART : formLiteral(v)}`;
        })
        .join(', ')}}`;
    }
    return `headers: {'content-type': ${str(type)}}, body: ${str(typeof value === 'string' ? value : 'TODO: a request body')}`;
  }

  /** A value for a schema: its example, default or first enum value, else a minimal one (required properties only). */
  example(raw: unknown, depth: number): Json {
    const schema = this.deref(raw);
    if (schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if (schema.const !== undefined) return schema.const;
    if (schema.default !== undefined) return schema.default;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    if (depth > 6) return null;
    if (Array.isArray(schema.allOf)) {
      const parts = schema.allOf.map((s: unknown) => this.example(s, depth + 1));
      return parts.every(isObj) ? Object.assign({}, ...parts) : (parts[0] ?? {});
    }
    const choice = arr(schema.oneOf)[0] ?? arr(schema.anyOf)[0];
    if (choice !== undefined) return this.example(choice, depth + 1);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const type =
      types.find((t: unknown) => t !== 'null' && t !== undefined) ??
      (isObj(schema.properties) ? 'object' : schema.items ? 'array' : undefined);
    switch (type) {
      case 'object': {
        const props: Obj = isObj(schema.properties) ? schema.properties : {};
        const required: string[] = Array.isArray(schema.required) ? schema.required.filter((k: unknown) => typeof k === 'string') : [];
        const keys = (required.length > 0 ? required : Object.keys(props)).filter((k) => !this.deref(props[k]).readOnly);
        return Object.fromEntries(keys.map((k) => [k, this.example(props[k] ?? {}, depth + 1)]));
      }
      case 'array':
        return [this.example(schema.items ?? {}, depth + 1)];
      case 'integer':
      case 'number': {
        const min =
          typeof schema.minimum === 'number'
            ? schema.minimum
            : typeof schema.exclusiveMinimum === 'number'
              ? schema.exclusiveMinimum + 1
              : 1;
        const max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
        return Math.min(type === 'integer' ? Math.ceil(min) : min, max);
      }
      case 'boolean':
        return true;
      case 'string':
        return stringExample(schema);
      case 'null':
        return null;
      default:
        return depth === 0 ? {} : 'string';
    }
  }
}

const FILE_PART = "{filename: 'file.bin', data: 'TODO: the file\\'s bytes', contentType: 'application/octet-stream'}";

function stringExample(schema: Obj): string {
  const byFormat: Record<string, string> = {
    'date-time': '2025-01-01T12:00:00Z',
    date: '2025-01-01',
    time: '12:00:00',
    email: 'user@example.com',
    uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    uri: 'https://example.com',
    url: 'https://example.com',
    hostname: 'example.com',
    ipv4: '192.0.2.1',
    ipv6: '2001:db8::1',
    password: 'TODO-password',
    byte: 'dGVzdA==',
  };
  let text = byFormat[String(schema.format)] ?? 'string';
  if (typeof schema.minLength === 'number' && text.length < schema.minLength) text = text.padEnd(schema.minLength, 'x');
  if (typeof schema.maxLength === 'number' && text.length > schema.maxLength) text = text.slice(0, Math.max(1, schema.maxLength));
  return text;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
const oneLine = (text: unknown): string => String(text).replace(/\s+/g, ' ').trim();
const escapeTemplate = (text: string): string => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
  'http',
]);

/** A JS identifier for a parameter name (`pet-id` → `petId`), unique in the task. */
function identifier(name: string, used: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_$]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')) || 'param';
  if (/^\d/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}Value`;
  let unique = id;
  for (let i = 2; used.has(unique); i++) unique = `${id}${i}`;
  used.add(unique);
  return unique;
}

const key = (name: unknown): string => (/^[A-Za-z_$][\w$]*$/.test(String(name)) ? String(name) : str(String(name)));

function queryLiteral(value: Json): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'number' ? String(v) : str(typeof v === 'string' ? v : JSON.stringify(v)))).join(', ')}]`;
  return formLiteral(value);
}

function formLiteral(value: Json): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return str(typeof value === 'string' ? value : JSON.stringify(value));
}

/** JSON as a TypeScript literal: on one line when short, else indented to sit in a task. */
function jsonLiteral(value: Json): string {
  const flat = toLiteral(value, null);
  return flat.length <= 80 ? flat : toLiteral(value, 0);
}

function toLiteral(value: Json, indent: number | null): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? str(value) : (JSON.stringify(value) ?? 'null');
  const inner = indent === null ? null : indent + 2;
  const pad = (n: number | null) => (n === null ? '' : `\n${' '.repeat(n + 4)}`);
  const items = Array.isArray(value)
    ? value.map((v) => toLiteral(v, inner))
    : Object.entries(value).map(([k, v]) => `${key(k)}: ${toLiteral(v, inner)}`);
  if (items.length === 0) return Array.isArray(value) ? '[]' : '{}';
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (indent === null) return `${open}${items.join(', ')}${close}`;
  return `${open}${items.map((i) => `${pad(inner)}${i}`).join(',')},${pad(indent)}${close}`;
}

/** Indents every line but the first of a multi-line expression. */
function indentRest(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : ' '.repeat(spaces) + line))
    .join('\n');
}
