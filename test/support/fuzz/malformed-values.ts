import { deeplyNested, RawJson } from './json-text';
import type { Schema } from './openapi';

/** Deeper than any body a client sends; the api refuses nesting well before this. */
export const DEEP = 5_000;
/** Characters in the long strings. */
export const LONG = 100_000;

export type Random = () => number;

/**
 * The wrong values for one field or parameter: `always` sent, and a few of `sometimes`, picked by
 * the seeded generator (so a seed always picks the same ones, and other seeds reach the rest).
 */
export interface Malformed {
  always: unknown[];
  sometimes: unknown[];
}

/** Characters outside the Basic Multilingual Plane: four bytes in UTF-8, two UTF-16 units. */
const ASTRAL = ['𠮷', '😀', '𝕏', '🀄', '𩸽'];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** `count` of `items`, chosen by the seeded generator. */
export function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  }
  return chosen;
}

/** `length` characters drawn from `alphabet`. */
function text(random: Random, alphabet: readonly string[], length: number): string {
  return Array.from({ length }, () => pick(random, alphabet)).join('');
}

/** `length` characters: a drawn run of 1,000 repeated, which is cheap to make. */
function longText(random: Random, alphabet: readonly string[], length: number): string {
  return text(random, alphabet, 1_000).repeat(Math.ceil(length / 1_000));
}

const polluted = (): Record<string, unknown> => ({ ['__proto__']: { polluted: true } });
const constructorPolluted = (): Record<string, unknown> => ({
  constructor: { prototype: { polluted: true } },
});

/** Dates and months that look right and are not: the calendar, not the pattern, refuses them. */
const BAD_DATES = [
  '2026-02-30',
  '2026-13',
  '2026-13-01',
  '2026-00',
  '0000-00-00',
  '2026-02-29T25:61:00Z',
  '２０２６-１１',
  '2026-1',
];

function numbers(schema: Schema, random: Random): Malformed {
  const bounds: unknown[] = [];
  if (schema.minimum !== undefined) bounds.push(schema.minimum - 1);
  if (schema.maximum !== undefined) bounds.push(schema.maximum + 1);
  return {
    always: [null, '12', 1.5, new RawJson('1e308'), 2 ** 32, -1, ...bounds],
    sometimes: [
      'abc',
      '',
      true,
      {},
      polluted(),
      [1],
      0,
      new RawJson('-0'),
      new RawJson('1e400', '1e400 (Infinity)'),
      new RawJson('-1e400', '-1e400 (-Infinity)'),
      new RawJson('9007199254740993', '2^53+1'),
      2 ** 31,
      -(2 ** 31) - 1,
      // somewhere between a 32-bit column and the last exact double
      2 ** 32 + Math.floor(random() * (2 ** 53 - 2 ** 32)),
      ...(schema.maximum !== undefined ? [schema.maximum + 0.5] : []),
    ],
  };
}

function strings(name: string, schema: Schema, random: Random): Malformed {
  const always: unknown[] = [
    null,
    12,
    '',
    longText(random, ['x', 'x', 'x', '中', ...ASTRAL], LONG),
    text(random, ASTRAL, 4),
  ];
  if (schema.maxLength !== undefined) {
    // at the limit in characters (four bytes each), and one past it
    always.push(text(random, ASTRAL, schema.maxLength), 'x'.repeat(schema.maxLength + 1));
  }
  if (schema.enum) always.push(`${String(schema.enum[0])}x`);
  const dates = isDateLike(name, schema);
  if (dates) always.push(...BAD_DATES.slice(0, 3));
  return {
    always,
    sometimes: [
      true,
      {},
      [],
      polluted(),
      [['x']],
      '   ',
      '\u0000',
      ...(schema.enum ? [String(schema.enum[0]).toUpperCase()] : []),
      ...(dates ? BAD_DATES.slice(3) : BAD_DATES.slice(0, 3)),
    ],
  };
}

function booleans(): Malformed {
  return { always: [null, 'true', 1], sometimes: ['false', 0, '', {}, [], [true]] };
}

function objects(): Malformed {
  return {
    always: [null, [], [{}], 'x', polluted()],
    sometimes: [1, true, {}, constructorPolluted(), deeplyNested(DEEP)],
  };
}

/** Arrays: above all nested arrays where objects belong, and repeated elements. */
function arrays(element: unknown): Malformed {
  return {
    always: [null, {}, [[element]], [[{}]], [null], [element, element]],
    sometimes: ['x', true, [], [1], ['x'], polluted()],
  };
}

/** A field that holds a date, a time or a month gets bad calendar values first. */
export function isDateLike(name: string, schema: Schema): boolean {
  return (
    schema.format === 'date-time' ||
    /(date|month|period|At|On)$/i.test(name) ||
    (typeof schema.example === 'string' && /^\d{4}-\d{2}(-\d{2})?$/.test(schema.example))
  );
}

/** The wrong values for a body field of this schema; `element` is a valid item of an array. */
export function malformedField(
  name: string,
  schema: Schema,
  element: unknown,
  random: Random,
): Malformed {
  if (schema.type === 'number' || schema.type === 'integer') return numbers(schema, random);
  if (schema.type === 'boolean') return booleans();
  if (schema.type === 'array') return arrays(element);
  if (schema.type === 'object' || schema.properties) return objects();
  return strings(name, schema, random);
}

/** The wrong values for a query or path parameter: everything arrives as text. */
export function malformedParam(name: string, random: Random): Malformed {
  const dates = /^(month|from|to)$/.test(name) ? BAD_DATES.slice(0, 2) : [];
  return {
    always: ['abc', '-1', '99999999999999999999', ...dates],
    sometimes: [
      '1.5',
      '',
      '0',
      '1e3',
      '1e20',
      '9007199254740993',
      '007',
      ' 1',
      'null',
      'true',
      '[object Object]',
      '__proto__',
      '\u0000',
      ...BAD_DATES.slice(0, 4),
      text(random, ASTRAL, 3),
      longText(random, ['x', '中', ...ASTRAL], 1_000),
    ],
  };
}

/** What one field or parameter is sent: all of `always`, then `extra` of `sometimes`. */
export function chosen(malformed: Malformed, random: Random, extra: number): unknown[] {
  return [...malformed.always, ...sample(random, malformed.sometimes, extra)];
}
