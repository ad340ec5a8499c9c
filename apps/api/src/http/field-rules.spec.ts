import type { ValidationFailedError } from '@charity/common';
import { IsOptional, IsString } from 'class-validator';
import { IsDateOnly, IsInstant } from './date-fields';
import { ArrayOf, NestedObject } from './nested-fields';
import { IsId, IsIntBetween, MAX_ID, QueryId, QueryInt } from './number-fields';
import { createValidationPipe } from './validation';

class Line {
  @IsId()
  productId!: number;
}

class Body {
  @IsOptional()
  @IsIntBetween(0, 30)
  days?: number;

  @IsOptional()
  @IsId()
  storeId?: number;

  @IsOptional()
  @ArrayOf(() => Line, { max: 3, notEmpty: true })
  lines?: Line[];

  @IsOptional()
  @NestedObject(() => Line)
  line?: Line;

  @IsOptional()
  @IsDateOnly()
  on?: string;

  @IsOptional()
  @IsInstant()
  at?: string;
}

class Query {
  @IsOptional()
  @QueryId()
  storeId?: number;

  @IsOptional()
  @QueryInt(0, 30)
  days?: number;

  @IsOptional()
  @IsString()
  search?: string;
}

const pipe = createValidationPipe();

/** What the app's own pipe makes of `value`: the instance, or the fields it refuses. */
async function run(
  type: 'body' | 'query',
  value: object,
): Promise<{ ok: unknown } | { fields: { field: string; constraints: string[] }[] }> {
  try {
    const ok: unknown = await pipe.transform(value, {
      type,
      metatype: type === 'body' ? Body : Query,
    });
    return { ok };
  } catch (error) {
    const fields = (error as ValidationFailedError).details.fields as {
      field: string;
      constraints: string[];
    }[];
    return { fields: fields.map(({ field, constraints }) => ({ field, constraints })) };
  }
}

const refused = (field: string, constraint: string) => ({
  fields: expect.arrayContaining([
    expect.objectContaining({ field, constraints: expect.arrayContaining([constraint]) }),
  ]) as unknown,
});

describe('number fields', () => {
  it.each([0, 30, 17])('IsIntBetween accepts %j', async (days) => {
    expect(await run('body', { days })).toEqual({ ok: expect.objectContaining({ days }) });
  });

  it.each([
    [-1, 'min'],
    [31, 'max'],
    [1.5, 'isInt'],
    ['12', 'isInt'],
    ['', 'isInt'],
    [true, 'isInt'],
    [[3], 'isInt'],
  ])('IsIntBetween refuses %j in a body (%s), never converting it', async (days, constraint) => {
    expect(await run('body', { days })).toEqual(refused('days', constraint));
  });

  it('IsId keeps ids inside INT UNSIGNED', async () => {
    expect(await run('body', { storeId: MAX_ID })).toEqual({
      ok: expect.objectContaining({ storeId: MAX_ID }),
    });
    expect(await run('body', { storeId: MAX_ID + 1 })).toEqual(refused('storeId', 'max'));
    expect(await run('body', { storeId: 1e20 })).toEqual(refused('storeId', 'max'));
    expect(await run('body', { storeId: 0 })).toEqual(refused('storeId', 'min'));
  });

  it('QueryId and QueryInt read query text strictly', async () => {
    expect(await run('query', { storeId: '12', days: '0' })).toEqual({
      ok: expect.objectContaining({ storeId: 12, days: 0 }),
    });
    const expected: [string, string][] = [
      ...['1e20', '1.5', ' 12', '', '012', '0x10', 'abc'].map((text): [string, string] => [
        text,
        'isInt',
      ]),
      ['-1', 'min'],
      ['4294967296', 'max'],
    ];
    for (const [storeId, constraint] of expected) {
      const result = await run('query', { storeId });
      expect({ storeId, result }).toEqual({ storeId, result: refused('storeId', constraint) });
    }
    expect(await run('query', { storeId: ['1', '2'] })).toEqual(refused('storeId', 'isInt'));
    expect(await run('query', { days: '31' })).toEqual(refused('days', 'max'));
  });
});

describe('nested fields', () => {
  it('ArrayOf takes an array of objects, each by its own rules', async () => {
    expect(await run('body', { lines: [{ productId: 1 }, { productId: 2 }] })).toEqual({
      ok: expect.objectContaining({ lines: [{ productId: 1 }, { productId: 2 }] }),
    });
    expect(await run('body', { lines: [{ productId: 1 }, { productId: 0 }] })).toEqual(
      refused('lines.1.productId', 'min'),
    );
  });

  it.each([
    ['an array inside the array', [[{ productId: 1 }]], 'isObject'],
    ['arrays all the way down', [[[{ productId: 1 }]]], 'isObject'],
    ['null', [null], 'isObject'],
    ['a number', [1], 'isObject'],
    ['text', ['{"productId":1}'], 'isObject'],
    ['nothing', [], 'arrayNotEmpty'],
    ['too many', [1, 2, 3, 4].map((productId) => ({ productId })), 'arrayMaxSize'],
    ['an object', { productId: 1 }, 'isArray'],
  ])('ArrayOf refuses %s, naming the array', async (_label, lines, constraint) => {
    expect(await run('body', { lines })).toEqual(refused('lines', constraint));
  });

  it('NestedObject takes an object and refuses an array in its place', async () => {
    expect(await run('body', { line: { productId: 3 } })).toEqual({
      ok: expect.objectContaining({ line: { productId: 3 } }),
    });
    for (const line of [[], [{ productId: 3 }], 'x', 5]) {
      expect(await run('body', { line })).toEqual(refused('line', 'isObject'));
    }
    expect(await run('body', { line: { productId: -1 } })).toEqual(
      refused('line.productId', 'min'),
    );
  });
});

describe('date fields', () => {
  it.each(['2026-02-28', '2028-02-29', '2026-12-31', '1000-01-01'])(
    'IsDateOnly accepts %s',
    async (on) => {
      expect(await run('body', { on })).toEqual({ ok: expect.objectContaining({ on }) });
    },
  );

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '2026-01-01T00:00:00Z',
    '20260101',
    '2026',
    '0999-01-01',
    ' 2026-01-01',
    20260101,
  ])('IsDateOnly refuses %j', async (on) => {
    expect(await run('body', { on })).toEqual(refused('on', 'isDateOnly'));
  });

  it.each([
    '2026-02-28',
    '2026-11-01T08:00',
    '2026-11-01T08:00:00Z',
    '2026-11-01T08:00:00.123Z',
    '2026-11-01T08:00:00+08:00',
    '2028-02-29T23:59:59-05:30',
  ])('IsInstant accepts %s', async (at) => {
    expect(await run('body', { at })).toEqual({ ok: expect.objectContaining({ at }) });
  });

  it.each([
    '2026-02-30',
    '2026-02-30T00:00:00Z',
    '2026-11-01T24:00:00Z',
    '2026-11-01T08:60:00Z',
    '2026-11-01T08:00:60Z',
    '2026-11-01T08:00:00+25:00',
    '2026-11-01 08:00:00',
    '2026-W05-1',
    '2026-032',
    'yesterday',
    '',
    1_700_000_000_000,
  ])('IsInstant refuses %j', async (at) => {
    expect(await run('body', { at })).toEqual(refused('at', 'isInstant'));
  });
});
