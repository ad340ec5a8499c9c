import { baseline } from './baseline';
import { bodyCases } from './body-cases';
import { describeValue, toJsonText } from './json-text';
import { chosen, malformedParam, sample, type Random } from './malformed-values';
import type { Operation } from './openapi';
import { pathValue, type FuzzWorld } from './world-values';

export type IdempotencyKeyChoice =
  { kind: 'fresh' } | { kind: 'omit' } | { kind: 'given'; value: string };

/** One request of the suite. */
export interface FuzzCase {
  /** What was broken, for the failure list: `body.lines[0].quantity = 1e308`. */
  name: string;
  /** Path parameter values, not yet encoded. */
  params: Record<string, string>;
  /** Query pairs, not yet encoded; a name may repeat. */
  query: [string, string][];
  /** A fresh Idempotency-Key per request, none, or this one. */
  idempotencyKey: IdempotencyKeyChoice;
  body?: { text: string; contentType: string };
}

/** How many of a parameter's `sometimes` values a seed adds to its `always`. */
const EXTRA_PER_PARAM = 1;

function queryBaseline(op: Operation, world: FuzzWorld): [string, string][] {
  return op.query
    .filter((param) => param.required)
    .map((param) => [param.name, String(baseline(param.schema, param.name, op, world))]);
}

/**
 * Each route's own seed (FNV-1a of its label, mixed with the suite's): its cases stay the same
 * when routes are added or only some are run.
 */
export function routeSeed(seed: number, route: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of route) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

/**
 * The set of cases for one route: its baseline, then one thing broken at a time (each path
 * parameter, each query parameter, the Idempotency-Key, each body field), then the body broken
 * as a whole. Which extra values a field gets comes from `random`, so a seed fixes the set.
 */
export function casesFor(op: Operation, world: FuzzWorld, random: Random): FuzzCase[] {
  const params = Object.fromEntries(op.pathParams.map((p) => [p, pathValue(world, op.path, p)]));
  const query = queryBaseline(op, world);
  const json = (body: unknown) => ({ text: toJsonText(body), contentType: 'application/json' });
  const body = op.body?.kind === 'json' ? json(baseline(op.body.schema, '', op, world)) : undefined;
  const key: IdempotencyKeyChoice = { kind: op.idempotencyKey === 'none' ? 'omit' : 'fresh' };
  const base: FuzzCase = { name: 'baseline', params, query, idempotencyKey: key, body };
  const cases: FuzzCase[] = [base];

  for (const param of op.pathParams) {
    for (const value of chosen(malformedParam(param, random), random, EXTRA_PER_PARAM)) {
      cases.push({
        ...base,
        name: `path.${param} = ${describeValue(value)}`,
        params: { ...params, [param]: value as string },
      });
    }
  }
  for (const param of op.query) {
    const others = query.filter(([name]) => name !== param.name);
    for (const value of chosen(malformedParam(param.name, random), random, EXTRA_PER_PARAM)) {
      cases.push({
        ...base,
        name: `query.${param.name} = ${describeValue(value)}`,
        query: [...others, [param.name, value as string]],
      });
    }
    const valid = String(baseline(param.schema, param.name, op, world));
    cases.push({
      ...base,
      name: `query.${param.name} given twice`,
      query: [...others, [param.name, valid], [param.name, 'abc']],
    });
  }
  if (op.method === 'get') {
    const extraQuery: [string, string, string][] = [
      ['query.__proto__[polluted]', '__proto__[polluted]', '1'],
      ['query.__proto__', '__proto__', '1'],
      ['query.constructor', 'constructor', 'x'],
      ['query with an unknown parameter', 'fuzzUnknown', '1'],
    ];
    for (const [name, param, value] of sample(random, extraQuery, 2)) {
      cases.push({ ...base, name, query: [...query, [param, value]] });
    }
  }
  if (op.idempotencyKey !== 'none') {
    cases.push({ ...base, name: 'Idempotency-Key missing', idempotencyKey: { kind: 'omit' } });
    for (const value of ['short', 'k'.repeat(101), 'bad key!']) {
      cases.push({
        ...base,
        name: `Idempotency-Key = ${describeValue(value)}`,
        idempotencyKey: { kind: 'given', value },
      });
    }
  }
  if (op.body?.kind === 'json') {
    for (const { name, body: value } of bodyCases(op, op.body.schema, world, random)) {
      cases.push({ ...base, name, body: json(value) });
    }
  }
  if (op.body?.kind === 'multipart') {
    // an upload route sent JSON, or an empty form, instead of its file
    const form = baseline(op.body.schema, '', op, world);
    const empty = { text: '', contentType: 'multipart/form-data; boundary=fuzz' };
    cases.push(
      { ...base, name: 'multipart route sent JSON', body: json(form) },
      { ...base, name: 'multipart route sent an empty form', body: empty },
    );
  }
  return cases;
}
