import { outsideStoreAreaMessage, storeServesRegion } from './household-placement';

const township = { id: 10, name: '城关镇', level: 'township' as const, parentId: 1 };
const ownVillage = { id: 11, name: '王庄村', level: 'village' as const, parentId: 10 };
const otherTownship = { id: 20, name: '石门乡', level: 'township' as const, parentId: 1 };
const otherVillage = { id: 21, name: '李家村', level: 'village' as const, parentId: 20 };

describe('storeServesRegion', () => {
  it("serves a township store's township and its villages, nothing else", () => {
    expect(storeServesRegion(township, township)).toBe(true);
    expect(storeServesRegion(township, ownVillage)).toBe(true);
    expect(storeServesRegion(township, otherTownship)).toBe(false);
    expect(storeServesRegion(township, otherVillage)).toBe(false);
  });

  it("serves a village store's own village only", () => {
    expect(storeServesRegion(ownVillage, ownVillage)).toBe(true);
    expect(storeServesRegion(ownVillage, township)).toBe(false);
    expect(storeServesRegion(ownVillage, { ...otherVillage, parentId: 10 })).toBe(false);
  });

  it('names the place and the area in the refusal', () => {
    expect(outsideStoreAreaMessage('城关镇爱心超市', township, otherVillage)).toBe(
      '“李家村”不在城关镇爱心超市的服务范围内：店长只能登记城关镇及其下属村（社区）的困难户',
    );
    expect(outsideStoreAreaMessage('王庄村爱心超市', ownVillage, township)).toBe(
      '“城关镇”不在王庄村爱心超市的服务范围内：店长只能登记王庄村的困难户',
    );
  });
});
