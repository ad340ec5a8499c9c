import { isPerson, maskDonorName } from './personal-data';

describe('donor masking', () => {
  it('masks the names of people only, never of companies and organisations', () => {
    expect(maskDonorName('individual', '张三')).toBe('张*');
    expect(maskDonorName('union_member', '李四')).toBe('李*');
    expect(maskDonorName('company', '青山粮油有限公司')).toBe('青山粮油有限公司');
    expect(maskDonorName('organization', '县农业局帮扶工作队')).toBe('县农业局帮扶工作队');
    expect([isPerson('individual'), isPerson('union_member')]).toEqual([true, true]);
    expect([isPerson('company'), isPerson('organization')]).toEqual([false, false]);
  });
});
