import type { ReportRegion } from './monthly-report.types';
import { emptyReport, HEADLINE, monthlyReport } from './render/fixtures';
import { donationsPhrase, headlineOf, unionAmount } from './headline';

describe('unionAmount', () => {
  it.each([
    [0, '0元'],
    [1, '0.01元'],
    [10, '0.1元'],
    [100, '1元'],
    [540_000, '5400元'],
    [123_450, '1234.5元'],
    [999_999, '9999.99元'], // the last amount in yuan
    [1_000_000, '1万元'], // exactly 1万
    [1_004_999, '1万元'], // 1.004999万 rounds down
    [1_005_000, '1.01万元'], // half up
    [2_240_000, '2.24万元'],
    [2_235_000, '2.24万元'],
    [6_100_000, '6.1万元'],
    [6_099_999, '6.1万元'],
    [18_000_000, '18万元'],
    [180_000_000, '180万元'],
    [99_999_999, '100万元'], // 99.99999999万 rounds up to a round figure
    [61_000_000_000, '61000万元'],
    [-540_000, '-5400元'],
  ])('writes %i fen as %s', (fen, text) => {
    expect(unionAmount(fen)).toBe(text);
  });

  it('refuses amounts that are not whole fen', () => {
    expect(() => unionAmount(0.5)).toThrow(RangeError);
    expect(() => unionAmount(Number.NaN)).toThrow(RangeError);
  });
});

describe('donationsPhrase', () => {
  it('names goods and cash apart, and leaves out what did not come in', () => {
    expect(donationsPhrase({ goodsValueFen: 1_700_000, cashFen: 540_000 })).toBe(
      '收到社会各界捐赠物资价值1.7万元、现金5400元',
    );
    expect(donationsPhrase({ goodsValueFen: 18_000_000, cashFen: 0 })).toBe(
      '收到社会各界捐赠物资价值18万元',
    );
    expect(donationsPhrase({ goodsValueFen: 0, cashFen: 1_230_000 })).toBe(
      '收到社会各界捐赠现金1.23万元',
    );
    expect(donationsPhrase({ goodsValueFen: 0, cashFen: 0 })).toBe('未收到社会各界捐赠');
  });
});

describe('headlineOf', () => {
  const figures = {
    stores: { active: 12 },
    donations: { goodsValueFen: 1_700_000, cashFen: 540_000 },
    aid: { households: 215, visits: 386 },
  };
  const of = (region: ReportRegion, f = figures) => headlineOf({ region, ...f });

  it('says goods and cash apart for a county, a township and a store', () => {
    expect(of({ id: 1, level: 'county', name: '青山县' })).toBe(
      '本月全县共有12个爱心超市开展服务，收到社会各界捐赠物资价值1.7万元、现金5400元，救助兜底户215户386人次',
    );
    expect(of({ id: 2, level: 'township', name: '城关镇' })).toMatch(/^本月城关镇共有12个爱心超市/);
    expect(of({ id: null, level: 'province', name: '全部' })).toMatch(/^本月全省共有12个/);
    expect(
      of(
        { id: 3, level: 'store', name: '东关爱心超市' },
        { ...figures, stores: { active: 0 }, donations: { goodsValueFen: 0, cashFen: 0 } },
      ),
    ).toBe('本月东关爱心超市未开展服务，未收到社会各界捐赠，救助兜底户215户386人次');
  });

  it("is what the renderers print for the specs' reports", () => {
    expect(headlineOf(monthlyReport())).toBe(HEADLINE);
    expect(headlineOf(emptyReport())).toBe(emptyReport().headline);
  });
});
