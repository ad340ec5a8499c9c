import { amountInChineseCapitals, formatYuan, MAX_CHINESE_CAPITALS_FEN } from './chinese-amount';

// [fen, capitals]; the 《支付结算办法》 examples are marked, with the form chosen where it allows two.
const CASES: [number, string][] = [
  [0, '零元整'],
  [1, '壹分'],
  [5, '伍分'],
  [10, '壹角'],
  [15, '壹角伍分'],
  [50, '伍角'],
  [99, '玖角玖分'],
  [100, '壹元整'],
  [105, '壹元零伍分'],
  [150, '壹元伍角'],
  [199, '壹元玖角玖分'],
  [1_000, '壹拾元整'],
  [1_001, '壹拾元零壹分'],
  [1_010, '壹拾元壹角'],
  [1_100, '壹拾壹元整'],
  [2_000, '贰拾元整'],
  [10_000, '壹佰元整'],
  [10_005, '壹佰元零伍分'],
  [10_100, '壹佰零壹元整'],
  [11_000, '壹佰壹拾元整'],
  [32_504, '叁佰贰拾伍元零肆分'], // 办法 ￥325.04
  [100_000, '壹仟元整'],
  [100_050, '壹仟元伍角'],
  [100_100, '壹仟零壹元整'],
  [101_000, '壹仟零壹拾元整'],
  [110_000, '壹仟壹佰元整'],
  [123_000, '壹仟贰佰叁拾元整'],
  [123_450, '壹仟贰佰叁拾肆元伍角'],
  [140_950, '壹仟肆佰零玖元伍角'], // 办法 ￥1,409.50
  [168_032, '壹仟陆佰捌拾元叁角贰分'], // 办法 ￥1,680.32 (零 after 元 optional; omitted)
  [600_714, '陆仟零柒元壹角肆分'], // 办法 ￥6,007.14
  [1_000_000, '壹万元整'],
  [1_000_001, '壹万元零壹分'],
  [1_000_100, '壹万零壹元整'],
  [1_001_000, '壹万零壹拾元整'],
  [1_010_000, '壹万零壹佰元整'],
  [1_100_000, '壹万壹仟元整'],
  [1_234_567, '壹万贰仟叁佰肆拾伍元陆角柒分'],
  [1_640_902, '壹万陆仟肆佰零玖元零贰分'], // 办法 ￥16,409.02
  [5_000_000, '伍万元整'],
  [10_000_000, '壹拾万元整'],
  [10_700_053, '壹拾万柒仟元伍角叁分'], // 办法 ￥107,000.53 (both optional 零 omitted)
  [50_050_000, '伍拾万零伍佰元整'],
  [50_500_000, '伍拾万伍仟元整'],
  [100_000_000, '壹佰万元整'],
  [100_000_001, '壹佰万元零壹分'],
  [100_000_010, '壹佰万元壹角'],
  [100_100_000, '壹佰万壹仟元整'],
  [2_000_000_000, '贰仟万元整'],
  [2_000_050_000, '贰仟万零伍佰元整'],
  [10_000_000_000, '壹亿元整'],
  [10_000_000_100, '壹亿零壹元整'],
  [10_000_100_000, '壹亿零壹仟元整'],
  [10_001_000_000, '壹亿零壹万元整'],
  [10_010_000_000, '壹亿零壹拾万元整'],
  [10_100_000_000, '壹亿零壹佰万元整'],
  [11_000_000_000, '壹亿壹仟万元整'],
  [100_000_000_100, '壹拾亿零壹元整'],
  [100_000_100_000, '壹拾亿零壹仟元整'],
  [1_000_000_000_000, '壹佰亿元整'],
  [1_000_000_010_000, '壹佰亿零壹佰元整'],
  [1_000_000_100_000, '壹佰亿零壹仟元整'],
  [9_999_999_999_999, '玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  [12_345_678_901_234, '壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分'],
  [MAX_CHINESE_CAPITALS_FEN, '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
];

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const NON_ZERO = DIGITS.slice(1);
const AMOUNT = new RegExp(
  `^(?:([^元]+)元)?(?:([${NON_ZERO}])角)?(?:(零)?([${NON_ZERO}])分)?(整)?$`,
);
const SMALL_UNITS: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };

/** Reads capitals back into fen, refusing the forms a cashier would query (整 after 分 …). */
function parseCapitals(text: string): number {
  if (text === '零元整') return 0;
  const match = AMOUNT.exec(text);
  if (!match) throw new Error(`not an amount in capitals: ${text}`);
  const [, yuanText, jiao, zero, fen, whole] = match;
  if (yuanText === undefined && jiao === undefined && fen === undefined) {
    throw new Error(`empty amount: ${text}`);
  }
  if ((whole !== undefined) !== (yuanText !== undefined && jiao === undefined && !fen)) {
    throw new Error(`整 misplaced: ${text}`);
  }
  if ((zero !== undefined) !== (yuanText !== undefined && jiao === undefined && !!fen)) {
    throw new Error(`零 before 分 misplaced: ${text}`);
  }
  const yuan = yuanText === undefined ? 0 : parseYuan(yuanText);
  return yuan * 100 + DIGITS.indexOf(jiao ?? '零') * 10 + DIGITS.indexOf(fen ?? '零');
}

function parseYuan(text: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const char of text) {
    if (DIGITS.includes(char)) {
      digit = DIGITS.indexOf(char);
    } else if (char in SMALL_UNITS) {
      section += digit * SMALL_UNITS[char];
      digit = 0;
    } else if (char === '万' || char === '亿') {
      total += (section + digit) * (char === '万' ? 10_000 : 100_000_000);
      section = 0;
      digit = 0;
    } else {
      throw new Error(`unexpected ${char} in ${text}`);
    }
  }
  return total + section + digit;
}

/**
 * How many 零 the spoken form of whole yuan has, counted on the digits: each run of zeros reads
 * as one 零, except zeros that end the number (肆万) or close a 万/亿 group holding other digits
 * (壹拾万柒仟).
 */
function spokenZeros(yuan: number): number {
  const digits = String(yuan);
  if (yuan === 0) return 0;
  let zeros = 0;
  for (const run of digits.matchAll(/0+/g)) {
    const first = digits.length - 1 - run.index; // place value of the run's highest zero
    const last = first - run[0].length + 1;
    const closesGroup = last % 4 === 0 && Math.floor(first / 4) === Math.floor(last / 4);
    const fillsGroup = closesGroup && first % 4 === 3;
    if (last > 0 && (!closesGroup || fillsGroup)) zeros++;
  }
  return zeros;
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Amounts of 1 to 14 digits with many zeros, where the writing rules are hard. */
function randomAmounts(count: number): number[] {
  const next = random(20260315);
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 14);
    let digits = '';
    for (let i = 0; i < length; i++) {
      const zero = i > 0 && next() < 0.5;
      digits += zero ? '0' : String(1 + Math.floor(next() * 9));
    }
    return Number(digits);
  });
}

describe('amountInChineseCapitals', () => {
  it.each(CASES)('writes %p fen as %s', (fen, capitals) => {
    expect(amountInChineseCapitals(fen)).toBe(capitals);
  });

  it('reads back as the same amount, in the canonical form, for 5,000 random amounts', () => {
    const amounts = [...randomAmounts(5_000), ...CASES.map(([fen]) => fen)];
    for (const fen of amounts) {
      const capitals = amountInChineseCapitals(fen);
      const context = `${fen} → ${capitals}`;
      expect({ context, fen: parseCapitals(capitals) }).toEqual({ context, fen });
      if (fen === 0) continue;
      // one 零 per run of zeros, never at the start, before a unit, or at the end of the yuan
      expect({ context, bad: /零零|^零|零[拾佰仟万亿元角分整]/.test(capitals) }).toEqual({
        context,
        bad: false,
      });
      // ten is 壹拾, never a bare 拾; every unit follows a non-zero digit
      expect({ context, bad: new RegExp(`(^|[^${NON_ZERO}])[拾佰仟]`).test(capitals) }).toEqual({
        context,
        bad: false,
      });
      const yuanText = capitals.includes('元') ? capitals.slice(0, capitals.indexOf('元')) : '';
      expect({ context, zeros: [...yuanText].filter((c) => c === '零').length }).toEqual({
        context,
        zeros: spokenZeros(Math.floor(fen / 100)),
      });
    }
  });

  it('refuses amounts that are negative, fractional or beyond 9999 亿', () => {
    for (const bad of [-1, 0.5, 100.01, NaN, Infinity, MAX_CHINESE_CAPITALS_FEN + 1]) {
      expect(() => amountInChineseCapitals(bad)).toThrow(RangeError);
    }
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [99_999, '999.99'],
    [100_000, '1,000.00'],
    [123_450, '1,234.50'],
    [100_000_000_000, '1,000,000,000.00'],
    [MAX_CHINESE_CAPITALS_FEN, '999,999,999,999.99'],
    [Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91'],
  ])('writes %p fen as %s yuan', (fen, yuan) => {
    expect(formatYuan(fen)).toBe(yuan);
  });

  it('refuses amounts that are negative, fractional or unsafe', () => {
    for (const bad of [-1, 0.5, NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => formatYuan(bad)).toThrow(RangeError);
    }
  });
});
