import type { Role } from '@charity/common';
import type { AddressInfo } from 'node:net';
import { random } from '../scripts/seeded-random';
import { casesFor, routeSeed } from './support/fuzz/cases';
import { HttpClient } from './support/fuzz/http-client';
import { label, operationsOf, type OpenApiDocument } from './support/fuzz/openapi';
import { roleFor, routeAccess } from './support/fuzz/route-access';
import { format, FuzzRunner, type Failure } from './support/fuzz/runner';
import { snapshotsOf } from './support/fuzz/snapshot';
import { buildWorld, type FuzzWorld } from './support/fuzz/world';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

/** The issue that asked for this suite; FUZZ_SEED tries another fixed set. */
const SEED = Number(process.env.FUZZ_SEED ?? 15);

describe('fuzz: every route of the OpenAPI document, malformed', () => {
  let t: TestApp;
  let world: FuzzWorld;
  let client: HttpClient;

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    world = await buildWorld(t);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    client = new HttpClient('127.0.0.1', port);
  });

  afterAll(async () => {
    client.close();
    await t.close();
  });

  it('answers no 5xx, and a refused request changes nothing', async () => {
    const started = Date.now();
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
    const access = routeAccess(t.app);
    const only = new RegExp(process.env.FUZZ_ROUTES ?? '');
    const operations = operationsOf(doc).filter(
      (op) =>
        (op.pathParams.length > 0 || op.query.length > 0 || op.body !== undefined) &&
        only.test(label(op)),
    );
    const signedIn = new Map<Role, SignedIn>([['county_admin', world.admin]]);
    const signIn = async (role: Role): Promise<SignedIn> => {
      const known = signedIn.get(role);
      if (known) return known;
      const user = await t.given.signedIn(role, world.ids.store);
      signedIn.set(role, user);
      return user;
    };
    const runner = new FuzzRunner(client, SEED, await snapshotsOf(t.dataSource));
    const failures: Failure[] = [];

    for (const op of operations) {
      const route = access.get(`${op.method} ${op.path}`);
      if (!route) throw new Error(`${label(op)} is in the document but no controller serves it`);
      const role = roleFor(route);
      const user = route.public ? null : await signIn(role);
      const cases = casesFor(op, world, random(routeSeed(SEED, label(op))));
      failures.push(...(await runner.run(op, cases, user?.auth ?? null)));
      // a case may have revoked the session (a password reset): later routes get a fresh one
      if (
        user &&
        (await t.http.get('/api/v1/auth/me').set('Authorization', user.auth)).status === 401
      ) {
        signedIn.delete(role);
      }
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statuses = [...runner.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`)
      .join(' ');
    console.log(
      `fuzz: seed ${SEED}, ${runner.requests} requests to ${operations.length} routes in ${seconds} s (${statuses}); ${failures.length} failures`,
    );
    expect(failures.map(format)).toEqual([]);
  }, 180_000);
});
