import { deeplyNested, deeplyNestedArray, describeValue, RawJson, toJsonText } from './json-text';
import {
  chosen,
  DEEP,
  LONG,
  malformedField,
  malformedParam,
  sample,
  type Random,
} from './malformed-values';
import type { Operation, Schema } from './openapi';
import { fieldValue, pathValue, type FuzzWorld } from './world';

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

/**
 * How many of a body field's or parameter's `sometimes` values a seed adds to its `always`: one
 * keeps the suite near half a minute on two cores; other seeds reach the rest.
 */
const EXTRA_PER_FIELD = 1;
const EXTRA_PER_PARAM = 1;

type Step = string | number;

/**
 * Optional fields a baseline carries because the route needs one of a choice to get anywhere
 * (a donation names its donor, a cart line its product, an award row its household).
 */
const COMPANIONS = new Set([
  'donorId',
  'lines',
  'productId',
  'householdId',
  'ruleCode',
  'categoryId',
]);

/**
 * A field and the companion it replaces: a case that breaks `donor` sends it instead of
 * `donorId`, as a client registering a new donor would, so the broken field is the one read.
 */
const ALTERNATIVE_TO: Record<string, string> = {
  donor: 'donorId',
  barcode: 'productId',
  product: 'productId',
  cardNo: 'householdId',
  points: 'ruleCode',
  category: 'categoryId',
};

/** A valid-ish value for a schema: real rows from the world, else the schema's example. */
function baseline(schema: Schema, name: string, op: Operation, world: FuzzWorld): unknown {
  const known = fieldValue(world, op.path, name);
  if (known !== undefined) return known;
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'array') return schema.items ? [baseline(schema.items, name, op, world)] : [];
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    return Object.fromEntries(
      Object.entries(schema.properties)
        .filter(([key]) => required.has(key) || COMPANIONS.has(key))
        .map(([key, property]) => [key, baseline(property, key, op, world)]),
    );
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.type === 'number' || schema.type === 'integer') return schema.minimum ?? 1;
  if (schema.type === 'boolean') return true;
  return 'fuzz';
}

interface Field {
  steps: Step[];
  schema: Schema;
}

/** Every field of a body, nested ones included (an array's through its first element). */
function fieldsOf(schema: Schema, steps: Step[] = []): Field[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, property]) => {
    const here = [...steps, key];
    const nested =
      property.type === 'array' && property.items?.properties
        ? fieldsOf(property.items, [...here, 0])
        : property.properties
          ? fieldsOf(property, here)
          : [];
    return [{ steps: here, schema: property }, ...nested];
  });
}

function schemaAt(root: Schema, steps: Step[]): Schema {
  return steps.reduce<Schema>(
    (schema, step) => (typeof step === 'number' ? schema.items : schema.properties?.[step]) ?? {},
    root,
  );
}

/** A copy of `body` with `value` at `steps`, filling in missing parents from their baseline. */
function withValue(
  body: unknown,
  steps: Step[],
  value: unknown,
  make: (steps: Step[]) => unknown,
): unknown {
  const copy = structuredClone(body) as Record<Step, unknown>;
  let node = copy;
  steps.forEach((step, i) => {
    if (typeof step === 'string' && ALTERNATIVE_TO[step]) delete node[ALTERNATIVE_TO[step]];
    if (i === steps.length - 1) return;
    const child = node[step];
    if (child === null || typeof child !== 'object') node[step] = make(steps.slice(0, i + 1));
    node = node[step] as Record<Step, unknown>;
  });
  node[steps[steps.length - 1]] = value;
  return copy;
}

function fieldName(steps: Step[]): string {
  return steps.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

interface BodyCase {
  name: string;
  body: unknown;
}

/** One field at a time, then the body as a whole. */
function bodyCases(op: Operation, schema: Schema, world: FuzzWorld, random: Random): BodyCase[] {
  const make = (steps: Step[]): unknown => {
    const last = steps[steps.length - 1];
    return baseline(schemaAt(schema, steps), typeof last === 'string' ? last : '', op, world);
  };
  const base = make([]) as Record<string, unknown>;
  const cases: BodyCase[] = [];
  for (const { steps, schema: field } of fieldsOf(schema)) {
    const name = String(steps[steps.length - 1]);
    const element = field.type === 'array' ? make([...steps, 0]) : undefined;
    for (const value of chosen(
      malformedField(name, field, element, random),
      random,
      EXTRA_PER_FIELD,
    )) {
      cases.push({
        name: `body${fieldName(steps)} = ${describeValue(value)}`,
        body: withValue(base, steps, value, make),
      });
    }
  }
  const first = Object.keys(base)[0] ?? 'a';
  const always: BodyCase[] = [
    { name: 'body = null', body: null },
    { name: 'body = [baseline]', body: [base] },
    { name: `body nested ${DEEP} deep`, body: deeplyNested(DEEP) },
    { name: `body = [[…]] ${DEEP} deep`, body: deeplyNestedArray(DEEP) },
    { name: `body.${first} nested ${DEEP} deep`, body: { ...base, [first]: deeplyNested(DEEP) } },
    { name: 'body with __proto__', body: { ['__proto__']: { polluted: true }, ...base } },
    {
      name: 'body with constructor.prototype',
      body: { constructor: { prototype: { polluted: true } }, ...base },
    },
    { name: 'body with an unknown field', body: { ...base, fuzzUnknown: 1 } },
    { name: 'body cut short', body: new RawJson(toJsonText(base).slice(0, -1)) },
  ];
  const sometimes: BodyCase[] = [
    { name: 'body = []', body: [] },
    { name: 'body = "x"', body: 'x' },
    { name: 'body = 12', body: 12 },
    { name: 'body = true', body: true },
    { name: 'body = {}', body: {} },
    { name: `body with a ${LONG}-character key`, body: { ...base, ['k'.repeat(LONG)]: 1 } },
    {
      name: `body.${first} given twice`,
      body: new RawJson(toJsonText(base).replace(/^\{/, `{${JSON.stringify(first)}:"x",`)),
    },
  ];
  return [...cases, ...always, ...sample(random, sometimes, 2)];
}

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
