import { blockedBecause, mayConfirm, type CheckoutFacts } from './checkout-gate';
import type { Quote } from './till';

const priced = (ok: boolean): Quote => ({
  household: {
    id: 1,
    cardNo: 'H0000000001',
    name: '张*',
    category: 'dibao',
    status: 'active',
    balance: 100,
    spendable: 100,
  },
  lines: [],
  pointsTotal: 30,
  balanceAfter: 70,
  problems: [],
  ok,
});

const ready: CheckoutFacts = {
  storeId: 1,
  hasCard: true,
  lineCount: 2,
  refused: false,
  busy: false,
  quoting: false,
  fresh: true,
  quote: priced(true),
};

describe('checkout gate', () => {
  it('lets a priced, problem-free cart of a store clerk be confirmed, with nothing said', () => {
    expect(mayConfirm(ready)).toBe(true);
    expect(blockedBecause(ready)).toBe('');
  });

  it('says the first thing in the way, and refuses the confirm', () => {
    const cases: [Partial<CheckoutFacts>, string][] = [
      [{ refused: true, lineCount: 0 }, '该户不能兑换（见上方红字）'],
      [{ lineCount: 0 }, '购物车是空的，请扫商品'],
      [{ quoting: true }, '正在核对积分和库存…'],
      [{ fresh: false }, '正在核对积分和库存…'],
      [{ quote: priced(false) }, '还有问题未解决（见红字），不能兑换'],
    ];
    for (const [change, reason] of cases) {
      const facts = { ...ready, ...change };
      expect(mayConfirm(facts)).toBe(false);
      expect(blockedBecause(facts)).toBe(reason);
    }
  });

  it('refuses without a store or a card, and says nothing while a checkout is under way', () => {
    expect(mayConfirm({ ...ready, storeId: null })).toBe(false);
    expect(mayConfirm({ ...ready, hasCard: false })).toBe(false);
    expect(mayConfirm({ ...ready, busy: true })).toBe(false);
    expect(blockedBecause({ ...ready, busy: true, lineCount: 0 })).toBe('');
  });
});
