import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './support/test-app';

// The OpenAPI document is the route reference and the source of the web app's API types
// (docs/api.md): complete, identical to what the api serves, and regenerated whenever it changes.

const ROOT = join(__dirname, '..');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
}

function committedDocument(): { paths: Record<string, Partial<Record<string, Operation>>> } {
  return JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8'));
}

describe('the API contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is committed as docs/openapi.json exactly as the running api serves it', async () => {
    const served = await t.http.get('/api/docs-json').expect(200);
    expect(served.body).toEqual(committedDocument());
  });

  it('gives every operation a summary, a documented answer, its path ids and who may call it', () => {
    const gaps: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(committedDocument().paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        operations += 1;
        const name = `${method.toUpperCase()} ${path}`;
        if (!operation.summary?.trim()) gaps.push(`${name}: no summary`);
        const answers = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
        if (!answers.some(([, answer]) => answer.content)) gaps.push(`${name}: no response body`);
        for (const [, param] of path.matchAll(/\{(\w+)\}/g)) {
          const declared = operation.parameters?.some((p) => p.in === 'path' && p.name === param);
          if (!declared) gaps.push(`${name}: path parameter ${param} not declared`);
        }
        if (!operation.security) gaps.push(`${name}: no security requirement`);
      }
    }
    expect(gaps).toEqual([]);
    expect(operations).toBeGreaterThan(100);
  });

  it('regenerates the same document and web types without a database or Redis', () => {
    const run = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'scripts/api-types.ts',
        '--check',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 90_000,
        // nothing listens there: the document must not need either
        env: {
          ...process.env,
          DATABASE_URL: 'mysql://nobody:nothing@127.0.0.1:9/nothing',
          REDIS_URL: 'redis://127.0.0.1:9',
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('up to date');
    expect(run.status).toBe(0);
  }, 120_000);
});
