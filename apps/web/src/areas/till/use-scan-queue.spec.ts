import { useScanQueue } from './use-scan-queue';

describe('useScanQueue', () => {
  function setUp(problems: Record<string, string> = {}) {
    const handled: string[] = [];
    let focused = 0;
    let release: () => void = () => undefined;
    const firstDone = new Promise<void>((resolve) => (release = resolve));
    const scans = useScanQueue(async (code, quantity) => {
      // the first code (a card) answers slowly
      if (handled.length === 0) await firstDone;
      handled.push(`${code}×${quantity}`);
      return problems[code] ?? '';
    });
    // the field as the till binds it: the queue puts the focus back after each code
    scans.scanInput.value = {
      focus: () => {
        focused += 1;
      },
    };
    const type = (text: string) => {
      scans.scanText.value = text;
      return scans.submit();
    };
    /** How often the field took the focus, once the focusing timers have run. */
    const focusCount = () =>
      new Promise<number>((resolve) => setTimeout(() => resolve(focused), 0));
    return { scans, handled, type, release, focusCount };
  }

  it('handles each code after the one before it, however fast they come', async () => {
    const { handled, type, release, focusCount } = setUp();
    void type('H0000000001');
    void type('6901234567890');
    const last = type('6901234567891');
    expect(handled).toEqual([]);
    release();
    await last;
    expect(handled).toEqual(['H0000000001×1', '6901234567890×1', '6901234567891×1']);
    expect(await focusCount()).toBe(3);
  });

  it('counts the next code `3*` times, once, and clears the field after each scan', async () => {
    const { scans, handled, type, release } = setUp();
    release();
    await type('3*');
    expect(scans.multiplier.value).toBe(3);
    expect(scans.scanText.value).toBe('');
    await type('6901234567890');
    await type('6901234567890');
    await type('2*6901234567891');
    expect(handled).toEqual(['6901234567890×3', '6901234567890×1', '6901234567891×2']);
    expect(scans.multiplier.value).toBeNull();
  });

  it('says what went wrong with a scan until the next one', async () => {
    const { scans, type, release } = setUp({ '123': '条码 123 没有登记，没有加入购物车' });
    release();
    await type('0*');
    expect(scans.scanError.value).toBe('数量要在 1 到 1000 之间，例如先输入 3* 再扫码');
    await type('123');
    expect(scans.scanError.value).toBe('条码 123 没有登记，没有加入购物车');
    await type('6901234567890');
    expect(scans.scanError.value).toBe('');
  });
});
