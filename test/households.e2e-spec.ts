import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

describe('households smoke', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.given.signedIn('county_admin');
  });
  afterAll(() => t.close());

  it('registers, awards and states', async () => {
    const store = await t.given.store();
    const village = await t.given.region('village');
    const id = t.given.idNumber();
    const created = await t.http
      .post('/api/v1/households')
      .set('Authorization', admin.auth)
      .send({
        headName: '王秀英',
        idNumber: id,
        category: 'wubao',
        memberCount: 1,
        regionId: village.id,
        homeStoreId: store.id,
        phone: '13812345678',
      });
    expect(created.status).toBe(201);
    console.log(created.body);
    const rule = await t.given.pointRule({ monthlyCap: 1 });
    const award = await t.http
      .post(`/api/v1/households/${created.body.id}/points`)
      .set('Authorization', admin.auth)
      .send({ ruleCode: rule.code });
    console.log(award.status, award.body);
    const again = await t.http
      .post(`/api/v1/households/${created.body.id}/points`)
      .set('Authorization', admin.auth)
      .send({ ruleCode: rule.code });
    console.log(again.status, again.body);
    const adj = await t.http
      .post(`/api/v1/households/${created.body.id}/points`)
      .set('Authorization', admin.auth)
      .send({ points: -3, reason: '测试' });
    console.log(adj.status, adj.body);
    const rev = await t.http
      .post(`/api/v1/households/${created.body.id}/points/entries/${adj.body.entry.id}/reverse`)
      .set('Authorization', admin.auth)
      .send({ reason: '错了' });
    console.log(rev.status, rev.body);
    const st = await t.http
      .get(`/api/v1/households/${created.body.id}/points`)
      .set('Authorization', admin.auth);
    console.log(JSON.stringify(st.body, null, 1));
  });
});
