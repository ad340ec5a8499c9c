import { baseline, fieldsOf, schemaAt, withValue, type Step } from './baseline';
import { deeplyNested, deeplyNestedArray, describeValue, RawJson, toJsonText } from './json-text';
import { chosen, DEEP, LONG, malformedField, sample, type Random } from './malformed-values';
import type { Operation, Schema } from './openapi';
import type { FuzzWorld } from './world-values';

/**
 * How many of a body field's `sometimes` values a seed adds to its `always`: one keeps the suite
 * near half a minute on two cores; other seeds reach the rest.
 */
const EXTRA_PER_FIELD = 1;

function fieldName(steps: Step[]): string {
  return steps.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

export interface BodyCase {
  name: string;
  body: unknown;
}

/** One field at a time, then the body as a whole. */
export function bodyCases(
  op: Operation,
  schema: Schema,
  world: FuzzWorld,
  random: Random,
): BodyCase[] {
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
