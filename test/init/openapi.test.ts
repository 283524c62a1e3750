// `brink init --from-openapi`: petstore-like specs (OpenAPI 3.0 in JSON, 3.1 in YAML, Swagger 2.0 in YAML)
// → a scenario that loads, has one task per operation named like it, type-checks, and runs with zero
// failures against a loopback server that implements the routes and checks what the spec requires.
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {runCli, printedError} from '../cli/run-cli.js';
import {loadScenario} from '../../source/scenario/load.js';
import {readSpec, scenarioFromOpenApi} from '../../source/init/openapi.js';
import {typeErrors} from './typecheck.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-openapi-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const brink = (args: string[]) => runCli(args, {BRINK_CONFIG_DIR: join(dir, 'config')});

const petSchema = {
  type: 'object',
  required: ['name'],
  properties: {id: {type: 'integer', format: 'int64', readOnly: true}, name: {type: 'string'}, tag: {type: 'string'}},
};

/** OpenAPI 3.0: absolute server with a base path, path-level parameters, refs, bearer security. */
const OPENAPI_30 = {
  openapi: '3.0.3',
  info: {title: 'Swagger Petstore', version: '1.0.0'},
  servers: [{url: 'http://petstore.example.com/v1'}],
  security: [{bearerAuth: []}],
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        summary: 'List all pets',
        parameters: [
          {name: 'limit', in: 'query', required: true, schema: {type: 'integer', maximum: 100}, example: 20},
          {name: 'tag', in: 'query', schema: {type: 'string'}},
        ],
        responses: {
          200: {description: 'ok', content: {'application/json': {schema: {type: 'array', items: {$ref: '#/components/schemas/Pet'}}}}},
        },
      },
      post: {
        operationId: 'createPet',
        requestBody: {required: true, content: {'application/json': {schema: {$ref: '#/components/schemas/Pet'}}}},
        responses: {201: {description: 'created'}},
      },
    },
    '/pets/{petId}': {
      parameters: [{$ref: '#/components/parameters/PetId'}],
      get: {operationId: 'showPetById', responses: {200: {description: 'ok'}}},
      put: {
        operationId: 'updatePet',
        requestBody: {content: {'application/json': {example: {name: 'Rex', tag: 'dog'}}}},
        responses: {200: {description: 'ok'}},
      },
      delete: {operationId: 'deletePet', responses: {204: {description: 'gone'}}},
    },
    '/owners/{ownerId}/pets/{petName}': {
      get: {
        operationId: 'ownerPet',
        parameters: [
          {name: 'ownerId', in: 'path', required: true, schema: {type: 'string', format: 'uuid'}},
          {name: 'petName', in: 'path', required: true, schema: {type: 'string'}},
        ],
        responses: {200: {description: 'ok'}},
      },
    },
  },
  components: {
    securitySchemes: {bearerAuth: {type: 'http', scheme: 'bearer'}},
    parameters: {PetId: {name: 'petId', in: 'path', required: true, schema: {type: 'integer', format: 'int64'}, example: 42}},
    schemas: {Pet: petSchema},
  },
};

/** OpenAPI 3.1: relative server URL, type arrays, examples, an API key in a header. */
const OPENAPI_31 = {
  openapi: '3.1.0',
  info: {title: 'Petstore 3.1', version: '2.0.0'},
  servers: [{url: '/{base}', variables: {base: {default: 'v1'}}}],
  security: [{key: []}],
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        parameters: [{name: 'limit', in: 'query', required: true, schema: {type: ['integer', 'null'], default: 10}}],
        responses: {200: {description: 'ok'}},
      },
      post: {
        operationId: 'createPet',
        requestBody: {
          content: {'application/json': {schema: {$ref: '#/components/schemas/Pet'}, examples: {rex: {$ref: '#/components/examples/Rex'}}}},
        },
        responses: {201: {description: 'created'}},
      },
    },
    '/pets/{petId}': {
      get: {
        operationId: 'showPetById',
        parameters: [{name: 'petId', in: 'path', required: true, schema: {type: 'string', examples: ['fido']}}],
        responses: {200: {description: 'ok'}},
      },
      patch: {
        operationId: 'renamePet',
        parameters: [{name: 'petId', in: 'path', required: true, schema: {type: 'string'}}],
        requestBody: {
          content: {
            'application/merge-patch+json': {
              schema: {type: 'object', required: ['name'], properties: {name: {type: 'string', minLength: 3}}},
            },
          },
        },
        responses: {200: {description: 'ok'}},
      },
    },
  },
  components: {
    securitySchemes: {key: {type: 'apiKey', in: 'header', name: 'X-API-Key'}},
    schemas: {Pet: petSchema},
    examples: {Rex: {value: {name: 'Rex'}}},
  },
};

/** Swagger 2.0: host + basePath, body and path parameters, basic auth. */
const SWAGGER_20 = {
  swagger: '2.0',
  info: {title: 'Old Petstore', version: '1'},
  host: 'petstore.example.com',
  basePath: '/v1',
  schemes: ['https'],
  securityDefinitions: {basic: {type: 'basic'}},
  paths: {
    '/pets': {
      get: {parameters: [{name: 'limit', in: 'query', required: true, type: 'integer'}], responses: {200: {description: 'ok'}}},
      post: {parameters: [{name: 'pet', in: 'body', schema: {$ref: '#/definitions/Pet'}}], responses: {201: {description: 'ok'}}},
    },
    '/pets/{petId}': {
      delete: {
        parameters: [{name: 'petId', in: 'path', required: true, type: 'integer', 'x-example': 7}],
        responses: {204: {description: 'gone'}},
      },
    },
  },
  definitions: {Pet: petSchema},
};

interface PetServer {
  readonly url: string;
  /** `METHOD /route` → requests. */
  readonly seen: Map<string, number>;
  readonly problems: string[];
  close(): Promise<void>;
}

/** The petstore's routes under /v1; anything the spec requires and is missing is a 4xx and a problem noted. */
async function petServer(): Promise<PetServer> {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  const routes: Array<[string, RegExp, string]> = [
    ['GET', /^\/v1\/pets$/, 'GET /pets'],
    ['POST', /^\/v1\/pets$/, 'POST /pets'],
    ['GET', /^\/v1\/pets\/[^/]+$/, 'GET /pets/:petId'],
    ['PUT', /^\/v1\/pets\/\d+$/, 'PUT /pets/:petId'],
    ['PATCH', /^\/v1\/pets\/[^/]+$/, 'PATCH /pets/:petId'],
    ['DELETE', /^\/v1\/pets\/\d+$/, 'DELETE /pets/:petId'],
    ['GET', /^\/v1\/owners\/[0-9a-f-]{36}\/pets\/[^/]+$/, 'GET /owners/:ownerId/pets/:petName'],
  ];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const route = routes.find(([m, re]) => m === req.method && re.test(url.pathname));
      const refuse = (status: number, why: string) => {
        problems.push(`${req.method} ${req.url}: ${why}`);
        res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify({error: why}));
      };
      if (!route) return refuse(404, 'no such route');
      seen.set(route[2], (seen.get(route[2]) ?? 0) + 1);
      const auth = req.headers.authorization ?? '';
      if (!/^(Bearer|Basic) \S+/.test(auth) && !req.headers['x-api-key']) return refuse(401, 'no credentials');
      if (route[2] === 'GET /pets' && !/^\d+$/.test(url.searchParams.get('limit') ?? '')) return refuse(400, 'limit is required');
      if (['POST', 'PUT', 'PATCH'].includes(req.method!)) {
        if (!/json/.test(req.headers['content-type'] ?? '')) return refuse(415, `content-type ${req.headers['content-type']}`);
        let parsed: {name?: unknown};
        try {
          parsed = JSON.parse(body);
        } catch {
          return refuse(400, 'body is not JSON');
        }
        if (typeof parsed.name !== 'string') return refuse(422, 'name is required');
      }
      if (req.method === 'DELETE') return res.writeHead(204).end();
      res.writeHead(req.method === 'POST' ? 201 : 200, {'content-type': 'application/json'}).end(JSON.stringify({id: 1, name: 'Rex'}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    problems,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: PetServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Imports the generated scenario unchanged and divides its think times, so 2 s covers every operation. */
function faster(file: string): string {
  return `import {scenario} from 'brink';
import base from ${JSON.stringify(file)};
export default scenario({...base, users: base.users.map((u) => ({...u, wait: {kind: 'constant', seconds: 0.02}}))});
`;
}

const CASES = [
  {
    label: 'OpenAPI 3.0 (JSON)',
    file: 'petstore.json',
    text: JSON.stringify(OPENAPI_30, null, 2),
    host: '/v1',
    specHost: 'http://petstore.example.com/v1',
    names: ['GET /pets', 'POST /pets', 'GET /pets/:petId', 'PUT /pets/:petId', 'DELETE /pets/:petId', 'GET /owners/:ownerId/pets/:petName'],
    auth: 'bearerAuth',
  },
  {
    label: 'OpenAPI 3.1 (YAML)',
    file: 'petstore.yaml',
    text: stringify(OPENAPI_31),
    host: '',
    specHost: undefined,
    names: ['GET /pets', 'POST /pets', 'GET /pets/:petId', 'PATCH /pets/:petId'],
    auth: 'key',
  },
  {
    label: 'Swagger 2.0 (YAML)',
    file: 'swagger.yml',
    text: stringify(SWAGGER_20),
    host: '/v1',
    specHost: 'https://petstore.example.com/v1',
    names: ['GET /pets', 'POST /pets', 'DELETE /pets/:petId'],
    auth: 'basic',
  },
];

describe('brink init --from-openapi', {timeout: 40_000}, () => {
  for (const c of CASES) {
    it(`${c.label}: one named task per operation, and a clean run against the routes`, async () => {
      const spec = join(dir, c.file);
      writeFileSync(spec, c.text);
      const out = join(dir, `${c.file}.ts`);
      const init = await brink(['init', '--from-openapi', spec, out]);
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      expect(init.stdout).toContain(`wrote `);
      expect(init.stdout).toContain(`${c.names.length} operations`);
      expect(init.stdout).toContain(`auth '${c.auth}' as a TODO in onStart`);
      expect(init.stdout).toMatch(
        c.specHost ? /^next: brink run \S+\s+\(the spec's host /m : /^next: brink run \S+ --host <base URL of the API>$/m,
      );

      const source = readFileSync(out, 'utf8');
      expect(source).toContain("from 'brink'");
      expect(source).toContain('TODO');
      const loaded = await loadScenario(out);
      try {
        expect(loaded.scenario.users).toHaveLength(1);
        expect(loaded.scenario.host).toBe(c.specHost);
        const tasks = loaded.scenario.users[0].tasks;
        expect(tasks.map((t) => t.name)).toEqual(c.names);
        // Reads weigh more than writes.
        for (const t of tasks) expect(t.weight).toBe(t.name.startsWith('GET ') ? 3 : 1);
      } finally {
        loaded.dispose();
      }
      expect(typeErrors([out])).toEqual([]);

      server = await petServer();
      const wrapper = join(dir, `${c.file}.fast.ts`);
      writeFileSync(wrapper, faster(out));
      const json = join(dir, `${c.file}.summary.json`);
      const r = await brink([
        'run',
        wrapper,
        '--host',
        server.url + c.host,
        '-u',
        '4',
        '-t',
        '2s',
        '--workers',
        '1',
        '--headless',
        '--json',
        json,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(server.problems).toEqual([]);
      const summary = JSON.parse(readFileSync(json, 'utf8'));
      expect(summary.totals.failures).toBe(0);
      expect(summary.totals.requests).toBeGreaterThan(c.names.length);
      // Every operation was exercised, under its own endpoint name.
      expect([...server.seen.keys()].sort()).toEqual([...c.names].sort());
      expect(
        summary.endpoints
          .map((e: {method: string; name: string}) => (e.name.startsWith(`${e.method} `) ? e.name : `${e.method} ${e.name}`))
          .sort(),
      ).toEqual([...c.names].sort());
    });
  }

  it('fills path parameters from examples, builds minimal bodies from schemas, and marks placeholders TODO', () => {
    const spec = join(dir, 'unit.json');
    writeFileSync(spec, JSON.stringify(OPENAPI_30));
    const g = scenarioFromOpenApi(readSpec(spec), spec, join(dir, 'unit.ts'));
    expect(g.operations.map((o) => `${o.name} ${o.weight}`)).toEqual([
      'GET /pets 3',
      'POST /pets 1',
      'GET /pets/:petId 3',
      'PUT /pets/:petId 1',
      'DELETE /pets/:petId 1',
      'GET /owners/:ownerId/pets/:petName 3',
    ]);
    expect(g.source).toContain("http.get('/pets', {name: 'GET /pets', query: {limit: 20}})");
    expect(g.source).toContain("const petId = 42; // the spec's example");
    expect(g.source).toContain("http.get(`/pets/${petId}`, {name: 'GET /pets/:petId'})");
    // The required field only, readOnly id left out.
    expect(g.source).toContain("http.post('/pets', {name: 'POST /pets', json: {name: 'string'}})");
    expect(g.source).toContain("json: {name: 'Rex', tag: 'dog'}");
    expect(g.source).toContain("const ownerId = '3fa85f64-5717-4562-b3fc-2c963f66afa6'; // TODO: an existing ownerId");
    expect(g.source).toContain('`/owners/${encodeURIComponent(ownerId)}/pets/${encodeURIComponent(petName)}`');
    expect(g.source).toMatch(/onStart: \(\{http\}\) => \{[\s\S]*TODO[\s\S]*http\.bearer\(TOKEN\);/);
    expect(g.source).toContain('// listPets: List all pets · optional query: tag');
  });

  it('a broken or unsupported spec is one usage line naming the file', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['broken.json', '{"openapi": "3.0.0",', /^brink: .*broken\.json: not valid JSON: /],
      ['broken.yaml', 'openapi: 3.0.0\npaths: {/a: {get: [}\n', /^brink: .*broken\.yaml: not valid YAML: /],
      ['plain.yaml', 'just: a map\n', /^brink: .*plain\.yaml: not an OpenAPI document \(no 'openapi: 3\.x' or 'swagger: "2\.0"' field\)$/m],
      ['old.json', '{"swagger": "1.2", "paths": {}}', /OpenAPI 1\.2 is not supported/],
      [
        'empty.yaml',
        'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths: {}\n',
        /empty\.yaml: no paths in the spec: nothing to generate/,
      ],
      ['missing.json', '', /missing\.json: no such file/],
    ];
    for (const [name, text, message] of cases) {
      const file = join(dir, name);
      if (text) writeFileSync(file, text);
      const r = await brink(['init', '--from-openapi', file, join(dir, `${name}.ts`)]);
      expect(r.code, name).toBe(2);
      expect(`brink: ${printedError(r.stderr).message}`, name).toMatch(message);
      expect(printedError(r.stderr).code).toBe('BRINK_E_INIT');
    }
  });
});
