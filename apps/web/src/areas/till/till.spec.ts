import { uncertainCheckout } from './till';

describe('uncertainCheckout', () => {
  it('keeps the cart for a retry when the answer was lost or the database did not answer', () => {
    expect(uncertainCheckout(0, '')).toContain('不确定是否已兑换');
    expect(uncertainCheckout(503, '数据库暂时不可用，请稍后重试')).toBe(
      '数据库暂时不可用，请稍后重试。不确定是否已兑换：请不要改动商品，稍后直接再按“确认兑换”重试，不会重复扣分。',
    );
  });

  it('leaves definite answers to the usual message', () => {
    for (const status of [400, 401, 409, 422, 500]) {
      expect(uncertainCheckout(status, '积分不足')).toBeNull();
    }
  });
});
