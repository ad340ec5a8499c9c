import { allotmentMonthOf } from './points.processor';

describe('the month a points-allotment job pays', () => {
  it.each([
    // the monthly firing, 00:30 on the 1st in Shanghai, is still the 31st in UTC
    ['2026-10-31T16:30:00.000Z', '2026-11'],
    ['2026-12-31T16:30:00.000Z', '2027-01'],
    // a manual run late on the last local day pays that month
    ['2026-10-31T15:59:59.999Z', '2026-10'],
  ])('at %s is %s when the job names none', (now, month) => {
    expect(allotmentMonthOf({}, new Date(now), 'Asia/Shanghai')).toBe(month);
  });

  it('is the month the job names, whatever the clock says', () => {
    expect(
      allotmentMonthOf({ month: '2026-09' }, new Date('2026-10-31T16:30:00.000Z'), 'UTC'),
    ).toBe('2026-09');
  });

  it('follows the configured zone', () => {
    expect(allotmentMonthOf({}, new Date('2026-10-31T16:30:00.000Z'), 'UTC')).toBe('2026-10');
  });
});
