import { businessDate, businessMonth, isValidTimeZone } from './business-time';

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

  it('knows real time zones from made-up ones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Asia/Nowhere')).toBe(false);
  });
});
