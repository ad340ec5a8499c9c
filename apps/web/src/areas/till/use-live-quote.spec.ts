import { effectScope, nextTick, ref } from 'vue';
import type { Quote } from './till';
import { QUOTE_DELAY_MS, useLiveQuote } from './use-live-quote';

interface Request {
  lines: number[];
}

function quoteOf(points: number, ok = true): Quote {
  return {
    household: {
      id: 1,
      cardNo: 'H0000000001',
      name: '张*',
      category: 'dibao',
      status: 'active',
      balance: 100,
      spendable: 100,
    },
    lines: [
      {
        line: 1,
        productId: 7,
        barcode: '6901234567890',
        name: '大米',
        unit: '袋',
        quantity: 1,
        pointPrice: points,
        points,
        available: 10,
        problems: [],
      },
    ],
    pointsTotal: points,
    balanceAfter: 100 - points,
    problems: ok ? [] : [{ code: 'LIMIT_EXCEEDED', message: '超出每月限额', details: {} }],
    ok,
  };
}

/** An api whose answers the test releases one by one, in any order. */
function pendingApi() {
  const asked: { request: Request; answer: (quote: Quote) => void; fail: (e: Error) => void }[] =
    [];
  const price = (request: Request) =>
    new Promise<Quote>((answer, fail) => asked.push({ request, answer, fail }));
  return { asked, price };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await nextTick();
}

describe('useLiveQuote', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setUp(initial: Request | null) {
    const request = ref<Request | null>(initial);
    const api = pendingApi();
    const failures: unknown[] = [];
    const scope = effectScope();
    const live = scope.run(() => useLiveQuote(request, api.price, (e) => failures.push(e)))!;
    return { request, api, failures, live, scope };
  }

  it('prices a burst of changes once, after the last, and calls that quote fresh', async () => {
    const { request, api, live } = setUp(null);
    request.value = { lines: [1] };
    await settle();
    request.value = { lines: [1, 2] };
    await settle();
    request.value = { lines: [1, 2, 3] };
    await settle();
    expect(live.quoting.value).toBe(true);
    expect(live.fresh.value).toBe(false);

    jest.advanceTimersByTime(QUOTE_DELAY_MS);
    expect(api.asked.map((ask) => ask.request.lines)).toEqual([[1, 2, 3]]);
    api.asked[0].answer(quoteOf(30));
    await settle();
    expect(live.quote.value?.pointsTotal).toBe(30);
    expect(live.quoting.value).toBe(false);
    expect(live.fresh.value).toBe(true);

    request.value = { lines: [1, 2] };
    await settle();
    expect(live.fresh.value).toBe(false);
  });

  it('never lets the answer to an older cart replace the quote of a newer one', async () => {
    const { request, api, live } = setUp({ lines: [1] });
    live.schedule();
    jest.advanceTimersByTime(QUOTE_DELAY_MS);
    request.value = { lines: [1, 2] };
    await settle();
    jest.advanceTimersByTime(QUOTE_DELAY_MS);
    expect(api.asked).toHaveLength(2);

    api.asked[1].answer(quoteOf(20));
    await settle();
    api.asked[0].answer(quoteOf(10));
    await settle();
    expect(live.quote.value?.pointsTotal).toBe(20);
    expect(live.fresh.value).toBe(true);
  });

  it('drops the quote when there is nothing left to price', async () => {
    const { request, api, live } = setUp({ lines: [1] });
    void live.refresh();
    api.asked[0].answer(quoteOf(10, false));
    await settle();
    expect(live.hasLimitProblem.value).toBe(true);
    expect(live.cartProblems.value.map((p) => p.code)).toEqual(['LIMIT_EXCEEDED']);

    request.value = null;
    await settle();
    expect(live.quote.value).toBeNull();
    expect(live.quoting.value).toBe(false);
    jest.advanceTimersByTime(QUOTE_DELAY_MS);
    expect(api.asked).toHaveLength(1);
  });

  it('reports a failed quote and leaves no quote to check out against', async () => {
    const { api, failures, live } = setUp({ lines: [1] });
    void live.refresh();
    api.asked[0].fail(new Error('库存不足'));
    await settle();
    expect(failures).toEqual([new Error('库存不足')]);
    expect(live.quote.value).toBeNull();
    expect(live.fresh.value).toBe(false);
    expect(live.quoting.value).toBe(false);
  });

  it('prices nothing once the till is gone', async () => {
    const { request, api, scope } = setUp(null);
    request.value = { lines: [1] };
    await settle();
    scope.stop();
    jest.advanceTimersByTime(QUOTE_DELAY_MS);
    expect(api.asked).toHaveLength(0);
  });
});
