import { comparePinyin, pinyinKey } from './pinyin-order';

const sortByPinyin = (names: string[], person = false): string[] =>
  names
    .map((name) => ({ name, key: pinyinKey(name, person) }))
    .sort(comparePinyin)
    .map((entry) => entry.name);

describe('pinyin order', () => {
  it('reads names as toneless pinyin', () => {
    expect(pinyinKey('张三')).toBe('zhang san');
    expect(pinyinKey('吕布')).toBe('lv bu');
    expect(pinyinKey('ABC超市')).toBe('abc chao shi');
  });

  it('reads the first character of a person as a surname', () => {
    expect(pinyinKey('单田芳', true)).toBe('shan tian fang');
    expect(pinyinKey('曾小贤', true)).toBe('zeng xiao xian');
    expect(pinyinKey('解放粮店')).toBe('jie fang liang dian');
  });

  it('sorts by pinyin where code points would not', () => {
    const names = ['张三', '阿强', '白雪', '陈晨'];
    // code points: 张 U+5F20 < 白 U+767D < 阿 U+963F < 陈 U+9648
    expect([...names].sort()).toEqual(['张三', '白雪', '阿强', '陈晨']);
    expect(sortByPinyin(names)).toEqual(['阿强', '白雪', '陈晨', '张三']);
  });

  it('puts a shorter reading first and breaks equal readings by the characters', () => {
    expect(sortByPinyin(['张三丰', '张三', '章三'])).toEqual(['张三', '章三', '张三丰']);
    expect(sortByPinyin(['章三', '张三'])).toEqual(['张三', '章三']);
  });
});
