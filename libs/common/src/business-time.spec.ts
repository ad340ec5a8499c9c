import {
  businessDate,
  businessMonth,
  isValidTimeZone,
  shiftMonth,
  startOfBusinessDay,
} from './business-time';

describe('business time (Asia/Shanghai)', () => {
  it.each([
    ['2026-10-31T15:59:59.999Z', '2026-10-31', '2026-10'],
    ['2026-10-31T16:00:00.000Z', '2026-11-01', '2026-11'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01', '2027-01'],
    ['2026-02-28T16:00:00.000Z', '2026-03-01', '2026-03'],
  ])('places %s on local date %s in month %s', (instant, date, month) => {
    expect(businessDate(new Date(instant))).toBe(date);
    expect(businessMonth(new Date(instant))).toBe(month);
  });

  it('uses another zone when asked', () => {
    expect(businessDate(new Date('2026-10-31T16:00:00.000Z'), 'UTC')).toBe('2026-10-31');
  });

  it('answers each zone for its own second, asked again and again around midnight', () => {
    const before = new Date('2026-10-31T15:59:59.999Z');
    const after = new Date('2026-10-31T16:00:00.000Z');
    for (let i = 0; i < 3; i += 1) {
      expect(businessDate(before)).toBe('2026-10-31');
      expect(businessDate(new Date(before.getTime() - 998))).toBe('2026-10-31');
      expect(businessDate(after, 'UTC')).toBe('2026-10-31');
      expect(businessDate(after)).toBe('2026-11-01');
      expect(businessDate(before, 'UTC')).toBe('2026-10-31');
    }
  });

  it('knows real time zones from made-up ones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Asia/Nowhere')).toBe(false);
  });
});

describe('startOfBusinessDay', () => {
  it('gives the UTC instant a Shanghai day starts', () => {
    expect(startOfBusinessDay('2026-11-01', 'Asia/Shanghai').toISOString()).toBe(
      '2026-10-31T16:00:00.000Z',
    );
    expect(startOfBusinessDay('2026-01-01', 'Asia/Shanghai').toISOString()).toBe(
      '2025-12-31T16:00:00.000Z',
    );
  });

  it('follows a zone with daylight saving across its change', () => {
    expect(startOfBusinessDay('2026-07-01', 'Europe/Berlin').toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
    expect(startOfBusinessDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
  });
});

describe('shiftMonth', () => {
  it('moves across year ends both ways', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-10', -12)).toBe('2025-10');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-10', -11)).toBe('2025-11');
  });
});
