import type { Operation, Schema } from './openapi';
import { fieldValue, type FuzzWorld } from './world-values';

/** A step into a body: a property name or an array index. */
export type Step = string | number;

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
export function baseline(schema: Schema, name: string, op: Operation, world: FuzzWorld): unknown {
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

export interface Field {
  steps: Step[];
  schema: Schema;
}

/** Every field of a body, nested ones included (an array's through its first element). */
export function fieldsOf(schema: Schema, steps: Step[] = []): Field[] {
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

export function schemaAt(root: Schema, steps: Step[]): Schema {
  return steps.reduce<Schema>(
    (schema, step) => (typeof step === 'number' ? schema.items : schema.properties?.[step]) ?? {},
    root,
  );
}

/** A copy of `body` with `value` at `steps`, filling in missing parents from their baseline. */
export function withValue(
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
