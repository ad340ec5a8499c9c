import { ANONYMOUS_DONOR_NAME, isPerson, maskDonorName, publicDonorName } from './personal-data';

describe('donor masking', () => {
  it('masks the names of people only, never of companies and organisations', () => {
    expect(maskDonorName('individual', '张三')).toBe('张*');
    expect(maskDonorName('union_member', '李四')).toBe('李*');
    expect(maskDonorName('company', '青山粮油有限公司')).toBe('青山粮油有限公司');
    expect(maskDonorName('organization', '县农业局帮扶工作队')).toBe('县农业局帮扶工作队');
    expect([isPerson('individual'), isPerson('union_member')]).toEqual([true, true]);
    expect([isPerson('company'), isPerson('organization')]).toEqual([false, false]);
  });

  it('names donors publicly as the honor board does: only with consent, people masked', () => {
    expect(publicDonorName({ kind: 'individual', name: '张三', honorConsent: true })).toBe('张*');
    expect(publicDonorName({ kind: 'company', name: '青山粮油有限公司', honorConsent: true })).toBe(
      '青山粮油有限公司',
    );
    expect(
      publicDonorName({ kind: 'company', name: '青山粮油有限公司', honorConsent: false }),
    ).toBe(ANONYMOUS_DONOR_NAME);
    expect(publicDonorName({ kind: 'union_member', name: '李四', honorConsent: false })).toBe(
      ANONYMOUS_DONOR_NAME,
    );
  });
});
