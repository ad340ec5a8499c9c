import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_STAFF_PASSWORD, DEMO_USERS } from './demo-county';

// A new user signs in with what the README says: every demo account it names must be there,
// with the password it gives.
describe('README: demo county accounts', () => {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Demo county'));

  it("gives the auditor's password, and it is the one the demo auditor gets", () => {
    const auditor = DEMO_USERS.find((user) => user.role === 'auditor');
    expect(auditor?.username).toBe('auditor');
    const stated = /`auditor` \(password `([^`]+)`/.exec(section)?.[1];
    expect(stated).toBe(DEMO_STAFF_PASSWORD);
  });

  it('names every demo account', () => {
    for (const user of DEMO_USERS) expect(section).toContain(`\`${user.username}\``);
  });
});
