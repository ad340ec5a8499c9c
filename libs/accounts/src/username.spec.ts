import { isPossibleUsername, normalizeUsername } from './username';

describe('normalizeUsername', () => {
  it.each([
    ['admin', 'admin'],
    ['  admin\t', 'admin'],
    ['ADMIN', 'admin'],
    ['ａｄｍｉｎ', 'admin'],
    ['Qs01_Clerk', 'qs01_clerk'],
  ])('%j → %j', (typed, normalised) => {
    expect(normalizeUsername(typed)).toBe(normalised);
  });

  it('leaves spellings no username can have impossible, however the database compares them', () => {
    for (const typed of ['ádmin', 'ad\u200bmin', 'ad min', 'ad', '管理员']) {
      expect(isPossibleUsername(normalizeUsername(typed))).toBe(false);
    }
    expect(isPossibleUsername(normalizeUsername(' QS01_clerk '))).toBe(true);
  });
});
