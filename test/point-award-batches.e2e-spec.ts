import { maskName } from '@charity/common';
import {
  findPointsLedgerMismatches,
  newCardNumber,
  PointAwardBatchesService,
  PointsEntry,
  type Household,
  type PointRule,
} from '@charity/households';
import type { Region, Store } from '@charity/organisation';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

interface BatchLineBody {
  rowNo: number;
  householdId: number;
  cardNo: string;
  headNameMasked: string;
  ruleCode: string;
  ruleName: string;
  points: number;
  note: string | null;
  entryId: string | null;
}

interface BatchBody {
  id: number;
  regionId: number;
  regionName: string;
  month: string;
  status: string;
  noticeDays: number;
  postOn: string;
  lineCount: number;
  pointsTotal: number;
  postedAt: string | null;
  withdrawReason: string | null;
  lastError: string | null;
  lines: BatchLineBody[];
}

interface ProblemBody {
  row: number;
  column: string;
  message: string;
}

interface NoticeBody {
  batchId: number;
  regionName: string;
  month: string;
  postOn: string;
  lines: {
    rowNo: number;
    cardNoMasked: string;
    headNameMasked: string;
    ruleName: string;
    points: number;
  }[];
}

describe('point award batches and 公示', () => {
  let t: TestApp;
  let admin: SignedIn;
  let batches: PointAwardBatchesService;
  let month: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.given.signedIn('county_admin');
    batches = t.app.get(PointAwardBatchesService);
    month = t.given.date(0).slice(0, 7);
  });
  afterAll(() => t.close());

  /** A township with a village and a store; households of the village shop there. */
  const place = async (): Promise<{ township: Region; village: Region; store: Store }> => {
    const township = await t.given.region('township');
    const village = await t.given.region('village', township.id);
    const store = await t.given.store({ regionId: township.id });
    return { township, village, store };
  };

  const householdIn = (
    village: Region,
    store: Store,
    overrides: { points?: number; headName?: string; phone?: string } = {},
  ): Promise<Household & { idNumber: string }> =>
    t.given.household({ regionId: village.id, homeStoreId: store.id, ...overrides });

  const submit = (auth: string, body: Record<string, unknown>): Promise<Response> =>
    t.http.post('/api/v1/point-awards/batch').set('Authorization', auth).send(body);

  const balanceOf = async (householdId: number): Promise<number> => {
    const response = await t.http
      .get(`/api/v1/households/${householdId}`)
      .set('Authorization', admin.auth);
    expect(response.status).toBe(200);
    return (response.body as { balance: number }).balance;
  };

  const entriesOfBatch = (batchId: number): Promise<PointsEntry[]> =>
    t.dataSource.getRepository(PointsEntry).find({ where: { batchId }, order: { id: 'ASC' } });

  const batch = async (id: number): Promise<BatchBody> => {
    const response = await t.http
      .get(`/api/v1/point-awards/batches/${id}`)
      .set('Authorization', admin.auth);
    expect(response.status).toBe(200);
    return response.body as BatchBody;
  };

  const notices = async (regionId: number): Promise<NoticeBody[]> => {
    const response = await t.http.get(`/api/v1/public/notices?regionId=${regionId}`);
    expect(response.status).toBe(200);
    return (response.body as { notices: NoticeBody[] }).notices;
  };

  const problemsOf = (response: Response): ProblemBody[] => {
    expectError(response, 422, 'BATCH_REJECTED');
    return (response.body as { details: { problems: ProblemBody[] } }).details.problems;
  };

  const expectLedgersConsistent = async (): Promise<void> => {
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
  };

  it('applies every row of a JSON batch at once and moves the balances', async () => {
    const { township, village, store } = await place();
    const first = await householdIn(village, store);
    const second = await householdIn(village, store, { points: 10 });
    const tidy = await t.given.pointRule({ points: 5, monthlyCap: 2 });
    const labour = await t.given.pointRule({ points: 10 });
    const penalty = await t.given.pointRule({ points: -3 });

    const response = await submit(admin.auth, {
      regionId: village.id,
      month,
      note: '村民代表会议评定',
      rows: [
        { cardNo: first.cardNo, ruleCode: tidy.code },
        { householdId: second.id, ruleCode: labour.code, note: '修村道' },
        { cardNo: ` ${first.cardNo.toLowerCase()} `, ruleCode: tidy.code.toLowerCase() },
        { cardNo: second.cardNo, ruleCode: penalty.name },
      ],
    });

    expect(response.status).toBe(201);
    const body = response.body as BatchBody;
    expect(body).toMatchObject({
      regionId: village.id,
      regionName: village.name,
      month,
      status: 'posted',
      noticeDays: 0,
      postOn: t.given.date(0),
      lineCount: 4,
      pointsTotal: 17,
    });
    expect(body.lines.map((l) => [l.rowNo, l.householdId, l.ruleCode, l.points])).toEqual([
      [1, first.id, tidy.code, 5],
      [2, second.id, labour.code, 10],
      [3, first.id, tidy.code, 5],
      [4, second.id, penalty.code, -3],
    ]);
    expect(body.lines[0]?.headNameMasked).toBe(maskName(first.headName));
    expect(body.lines.every((l) => l.entryId !== null)).toBe(true);
    expect(await balanceOf(first.id)).toBe(10);
    expect(await balanceOf(second.id)).toBe(17);

    const entries = await entriesOfBatch(body.id);
    expect(entries.map((e) => [e.householdId, e.kind, e.points, e.period])).toEqual([
      [first.id, 'award', 5, month],
      [second.id, 'award', 10, month],
      [first.id, 'award', 5, month],
      [second.id, 'award', -3, month],
    ]);
    expect(entries.map((e) => e.id)).toEqual(body.lines.map((l) => l.entryId));
    expect(entries[1]?.reason).toBe(`${labour.name}：修村道`);

    const listed = await t.http
      .get(`/api/v1/point-awards/batches?regionId=${township.id}&status=posted&month=${month}`)
      .set('Authorization', admin.auth);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect((listed.body as { items: BatchBody[] }).items[0]?.id).toBe(body.id);

    // a clerk of another store sees neither the batch nor its lines
    const stranger = await t.given.signedIn('clerk');
    const theirs = await t.http
      .get(`/api/v1/point-awards/batches?regionId=${township.id}`)
      .set('Authorization', stranger.auth);
    expect(theirs.body).toMatchObject({ total: 0, items: [] });
    expectError(
      await t.http
        .get(`/api/v1/point-awards/batches/${body.id}`)
        .set('Authorization', stranger.auth),
      403,
      'FORBIDDEN',
    );
    await expectLedgersConsistent();
  });

  it('refuses a batch with bad rows, naming every one, and books nothing', async () => {
    const { village, store } = await place();
    const elsewhere = await place();
    const good = await householdIn(village, store);
    const outsider = await householdIn(elsewhere.village, elsewhere.store);
    const exited = await householdIn(village, store);
    const awardedAlready = await householdIn(village, store);
    const capped = await t.given.pointRule({ points: 5, monthlyCap: 1 });
    const labour = await t.given.pointRule({ points: 10 });
    const inactive = await t.given.pointRule({ active: false });
    const penalty = await t.given.pointRule({ points: -20 });
    const poor = await householdIn(village, store, { points: 15 });
    expect(
      (
        await t.http
          .patch(`/api/v1/households/${exited.id}`)
          .set('Authorization', admin.auth)
          .send({ status: 'exited' })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.http
          .post(`/api/v1/households/${awardedAlready.id}/points`)
          .set('Authorization', admin.auth)
          .send({ ruleCode: capped.code, period: month })
      ).status,
    ).toBe(201);
    const unknownCard = newCardNumber();

    const response = await submit(admin.auth, {
      regionId: village.id,
      month,
      rows: [
        { cardNo: good.cardNo, ruleCode: capped.code },
        { cardNo: unknownCard, ruleCode: capped.code },
        { cardNo: outsider.cardNo, ruleCode: labour.code },
        { cardNo: good.cardNo, ruleCode: capped.code },
        { cardNo: exited.cardNo, ruleCode: labour.code },
        { cardNo: awardedAlready.cardNo, ruleCode: capped.code },
        { householdId: good.id, ruleCode: 'NO_SUCH_RULE' },
        { householdId: good.id, ruleCode: inactive.code },
        { cardNo: poor.cardNo, ruleCode: penalty.code },
        { ruleCode: labour.code },
      ],
    });

    const problems = problemsOf(response);
    expect((response.body as { details: { rows: number } }).details.rows).toBe(10);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'cardNo'],
      [3, 'cardNo'],
      [4, 'ruleCode'],
      [5, 'cardNo'],
      [6, 'ruleCode'],
      [7, 'ruleCode'],
      [8, 'ruleCode'],
      [9, 'ruleCode'],
      [10, 'cardNo'],
    ]);
    const message = (row: number): string => problems.find((p) => p.row === row)?.message ?? '';
    expect(message(2)).toContain(`卡号 ${unknownCard} 不存在`);
    expect(message(3)).toContain(village.name);
    expect(message(4)).toContain('本表第 1 行');
    expect(message(5)).toContain('已脱贫');
    expect(message(6)).toContain('已记入 1 次');
    expect(message(7)).toContain('NO_SUCH_RULE');
    expect(message(8)).toContain('已停用');
    expect(message(9)).toContain('积分不足');
    expect(message(10)).toContain('缺少卡号');

    for (const household of [good, outsider, exited, poor]) {
      expect(await balanceOf(household.id)).toBe(household.balance);
    }
    expect(await balanceOf(awardedAlready.id)).toBe(5);
    const listed = await t.http
      .get(`/api/v1/point-awards/batches?regionId=${village.id}`)
      .set('Authorization', admin.auth);
    expect(listed.body).toMatchObject({ total: 0 });
    await expectLedgersConsistent();
  });

  it('refuses one household on a rule without a cap twice in a batch, naming every repeated row', async () => {
    const { village, store } = await place();
    const household = await householdIn(village, store);
    const other = await householdIn(village, store);
    const labour = await t.given.pointRule({ points: 20 });
    const tidy = await t.given.pointRule({ points: 5, monthlyCap: 2 });
    const repeated = Array.from({ length: 1000 }, () => ({
      cardNo: household.cardNo,
      ruleCode: labour.code,
    }));

    const response = await submit(admin.auth, {
      regionId: village.id,
      month,
      rows: [...repeated, { cardNo: other.cardNo, ruleCode: labour.code }],
    });

    const problems = problemsOf(response);
    expect((response.body as { details: { rows: number } }).details.rows).toBe(1001);
    expect(problems).toHaveLength(999);
    expect(problems.map((p) => p.row)).toEqual(Array.from({ length: 999 }, (_, i) => i + 2));
    expect(problems.every((p) => p.column === 'cardNo')).toBe(true);
    expect(problems[0]?.message).toContain('本表第 1 行');
    expect(problems[0]?.message).toContain(labour.name);
    expect(problems[998]?.message).toContain('本表第 1 行');
    expect(await balanceOf(household.id)).toBe(0);
    expect(await balanceOf(other.id)).toBe(0);

    // a household may still have several rules, and a capped rule up to its cap
    const allowed = await submit(admin.auth, {
      regionId: village.id,
      month,
      rows: [
        { cardNo: household.cardNo, ruleCode: labour.code },
        { cardNo: household.cardNo, ruleCode: tidy.code },
        { cardNo: household.cardNo, ruleCode: tidy.code },
      ],
    });
    expect(allowed.status).toBe(201);
    expect(await balanceOf(household.id)).toBe(30);
    await expectLedgersConsistent();
  });

  it("counts pending batches toward caps and keeps a manager to their own store's households", async () => {
    const { village, store } = await place();
    const other = await t.given.store({ regionId: village.id });
    const own = await householdIn(village, store);
    const foreign = await householdIn(village, other);
    const capped = await t.given.pointRule({ points: 5, monthlyCap: 1 });
    const manager = await t.given.signedIn('store_manager', store.id);

    const onNotice = await submit(manager.auth, {
      regionId: village.id,
      month,
      noticeDays: 5,
      rows: [{ cardNo: own.cardNo, ruleCode: capped.code }],
    });
    expect(onNotice.status).toBe(201);
    expect((onNotice.body as BatchBody).status).toBe('pending');

    const second = await submit(manager.auth, {
      regionId: village.id,
      month,
      rows: [
        { cardNo: own.cardNo, ruleCode: capped.code },
        { cardNo: foreign.cardNo, ruleCode: capped.code },
      ],
    });
    const problems = problemsOf(second);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [1, 'ruleCode'],
      [2, 'cardNo'],
    ]);
    expect(problems[0]?.message).toContain('公示中 1 次');
    expect(problems[1]?.message).toContain('其他门店');

    // a single award counts the line on 公示 too: booked now, it would fail the whole batch later
    const single = await t.http
      .post(`/api/v1/households/${own.id}/points`)
      .set('Authorization', manager.auth)
      .send({ ruleCode: capped.code, period: month });
    expectError(single, 409, 'AWARD_CAP_REACHED');
    expect(single.body.details).toEqual(
      expect.objectContaining({ month, used: 1, onNotice: 1, allowed: 1 }),
    );
    expect(single.body.message).toContain('其中公示中 1 次');

    // once the pending batch is withdrawn the cap is free again
    const withdrawn = await t.http
      .post(`/api/v1/point-awards/batches/${(onNotice.body as BatchBody).id}/withdraw`)
      .set('Authorization', manager.auth)
      .send({ reason: '重复提交' });
    expect(withdrawn.status).toBe(200);
    const again = await submit(manager.auth, {
      regionId: village.id,
      month,
      rows: [{ cardNo: own.cardNo, ruleCode: capped.code }],
    });
    expect(again.status).toBe(201);
    expect(await balanceOf(own.id)).toBe(5);
    await expectLedgersConsistent();
  });

  it('takes the evaluation as an uploaded CSV or XLSX sheet', async () => {
    const { village, store } = await place();
    const byCard = await householdIn(village, store);
    const byId = await householdIn(village, store);
    const tidy = await t.given.pointRule({ points: 5 });
    const labour = await t.given.pointRule({ points: 10 });
    const csv = [
      '卡号,身份证号,规则,备注',
      `${byCard.cardNo},,${tidy.name},院子干净`,
      '',
      `,${byId.idNumber},${labour.code},`,
    ].join('\r\n');

    const response = await t.http
      .post('/api/v1/point-awards/batch/upload')
      .set('Authorization', admin.auth)
      .field('regionId', String(village.id))
      .field('month', month)
      .attach('file', Buffer.from(`\uFEFF${csv}`, 'utf8'), 'awards.csv');

    expect(response.status).toBe(201);
    const body = response.body as BatchBody;
    expect(body.status).toBe('posted');
    expect(body.lines.map((l) => [l.rowNo, l.householdId, l.points, l.note])).toEqual([
      [2, byCard.id, 5, '院子干净'],
      [4, byId.id, 10, null],
    ]);
    expect(await balanceOf(byCard.id)).toBe(5);
    expect(await balanceOf(byId.id)).toBe(10);

    // problems name the sheet's own rows and columns
    const bad = await t.http
      .post('/api/v1/point-awards/batch/upload')
      .set('Authorization', admin.auth)
      .field('regionId', String(village.id))
      .field('month', month)
      .attach(
        'file',
        Buffer.from(
          `卡号,身份证号,规则\n${byCard.cardNo},,${tidy.code}\n,110101199003071234,${tidy.code}\n`,
        ),
        'awards.csv',
      );
    expect(problemsOf(bad).map((p) => [p.row, p.column])).toEqual([[3, '身份证号']]);
    expect(problemsOf(bad)[0]?.message).not.toContain('110101199003071234');

    const missingRule = await t.http
      .post('/api/v1/point-awards/batch/upload')
      .set('Authorization', admin.auth)
      .field('regionId', String(village.id))
      .field('month', month)
      .attach('file', Buffer.from(`卡号,备注\n${byCard.cardNo},x\n`), 'awards.csv');
    expect(problemsOf(missingRule).map((p) => [p.row, p.column])).toEqual([[1, '规则']]);

    const noFile = await t.http
      .post('/api/v1/point-awards/batch/upload')
      .set('Authorization', admin.auth)
      .field('regionId', String(village.id))
      .field('month', month);
    expectError(noFile, 400, 'VALIDATION_FAILED');

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('评定');
    sheet.addRow(['卡号', '规则', '备注']);
    sheet.addRow([byCard.cardNo, labour.name, '帮扶孤寡老人']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const fromExcel = await t.http
      .post('/api/v1/point-awards/batch/upload')
      .set('Authorization', admin.auth)
      .field('regionId', String(village.id))
      .field('month', month)
      .field('noticeDays', '3')
      .attach('file', xlsx, 'awards.xlsx');
    expect(fromExcel.status).toBe(201);
    expect(fromExcel.body).toMatchObject({ status: 'pending', noticeDays: 3, lineCount: 1 });
    expect(await balanceOf(byCard.id)).toBe(5);
    const postedEarly = await t.http
      .post(`/api/v1/point-awards/batches/${(fromExcel.body as BatchBody).id}/post`)
      .set('Authorization', admin.auth);
    expect(postedEarly.status).toBe(200);
    expect(await balanceOf(byCard.id)).toBe(15);
    await expectLedgersConsistent();
  });

  it('puts a batch on 公示 with masked names, then posts it when the notice ends', async () => {
    const { township, village, store } = await place();
    const headName = '欧阳秀英';
    const phone = '13812345678';
    const named = await householdIn(village, store, { headName, phone });
    const plain = await householdIn(village, store);
    const tidy = await t.given.pointRule({ points: 5, monthlyCap: 1 });

    const response = await submit(admin.auth, {
      regionId: village.id,
      month,
      noticeDays: 3,
      rows: [
        { cardNo: named.cardNo, ruleCode: tidy.code },
        { cardNo: plain.cardNo, ruleCode: tidy.code },
      ],
    });
    expect(response.status).toBe(201);
    const pending = response.body as BatchBody;
    expect(pending).toMatchObject({ status: 'pending', postOn: t.given.date(3), postedAt: null });
    expect(pending.lines.every((l) => l.entryId === null)).toBe(true);
    expect(await balanceOf(named.id)).toBe(0);
    expect(await entriesOfBatch(pending.id)).toEqual([]);

    const board = await t.http.get(`/api/v1/public/notices?regionId=${township.id}`);
    expect(board.status).toBe(200);
    const notice = (board.body as { notices: NoticeBody[] }).notices.find(
      (n) => n.batchId === pending.id,
    );
    expect(notice).toMatchObject({
      regionName: village.name,
      month,
      postOn: t.given.date(3),
      lines: [
        {
          rowNo: 1,
          cardNoMasked: `H******${named.cardNo.slice(-4)}`,
          headNameMasked: '欧***',
          ruleName: tidy.name,
          points: 5,
        },
        {
          rowNo: 2,
          cardNoMasked: `H******${plain.cardNo.slice(-4)}`,
          headNameMasked: maskName(plain.headName),
          ruleName: tidy.name,
          points: 5,
        },
      ],
    });
    for (const secret of [headName, phone, named.idNumber, named.cardNo, plain.headName]) {
      expect(board.text).not.toContain(secret);
    }
    expect((await notices(village.id)).map((n) => n.batchId)).toContain(pending.id);
    expectError(await t.http.get('/api/v1/public/notices'), 400, 'VALIDATION_FAILED');

    const early = await batches.postDue(t.given.date(2));
    expect(early).toEqual({ today: t.given.date(2), posted: 0, failed: 0 });
    expect((await batch(pending.id)).status).toBe('pending');
    expect(await balanceOf(named.id)).toBe(0);

    const due = await batches.postDue(t.given.date(3));
    expect(due).toEqual({ today: t.given.date(3), posted: 1, failed: 0 });
    const posted = await batch(pending.id);
    expect(posted.status).toBe('posted');
    expect(posted.postedAt).not.toBeNull();
    expect(posted.lines.every((l) => l.entryId !== null)).toBe(true);
    expect(await balanceOf(named.id)).toBe(5);
    expect(await balanceOf(plain.id)).toBe(5);
    const entries = await entriesOfBatch(pending.id);
    expect(entries.map((e) => [e.householdId, e.points, e.actorId, e.period])).toEqual([
      [named.id, 5, null, month],
      [plain.id, 5, null, month],
    ]);
    expect((await notices(township.id)).map((n) => n.batchId)).not.toContain(pending.id);
    await expectLedgersConsistent();
  });

  it('stops a withdrawn batch from posting and refuses to touch it again', async () => {
    const { village, store } = await place();
    const household = await householdIn(village, store);
    const tidy = await t.given.pointRule({ points: 5 });
    const rows = [{ cardNo: household.cardNo, ruleCode: tidy.code }];
    const created = await submit(admin.auth, { regionId: village.id, month, noticeDays: 5, rows });
    const id = (created.body as BatchBody).id;

    expectError(
      await t.http
        .post(`/api/v1/point-awards/batches/${id}/withdraw`)
        .set('Authorization', admin.auth)
        .send({ reason: ' ' }),
      400,
      'VALIDATION_FAILED',
    );
    const withdrawn = await t.http
      .post(`/api/v1/point-awards/batches/${id}/withdraw`)
      .set('Authorization', admin.auth)
      .send({ reason: '群众反映情况不实' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      status: 'withdrawn',
      withdrawReason: '群众反映情况不实',
    });
    expect((await notices(village.id)).map((n) => n.batchId)).not.toContain(id);

    await batches.postDue(t.given.date(10));
    expect((await batch(id)).status).toBe('withdrawn');
    expect(await balanceOf(household.id)).toBe(0);
    expect(await entriesOfBatch(id)).toEqual([]);

    expectError(
      await t.http
        .post(`/api/v1/point-awards/batches/${id}/withdraw`)
        .set('Authorization', admin.auth)
        .send({ reason: '再撤一次' }),
      409,
      'BATCH_NOT_PENDING',
    );
    expectError(
      await t.http.post(`/api/v1/point-awards/batches/${id}/post`).set('Authorization', admin.auth),
      409,
      'BATCH_NOT_PENDING',
    );

    // posting early: county admins only, and only once
    const next = await submit(admin.auth, { regionId: village.id, month, noticeDays: 5, rows });
    const nextId = (next.body as BatchBody).id;
    const manager = await t.given.signedIn('store_manager', store.id);
    expectError(
      await t.http
        .post(`/api/v1/point-awards/batches/${nextId}/post`)
        .set('Authorization', manager.auth),
      403,
      'FORBIDDEN',
    );
    const early = await t.http
      .post(`/api/v1/point-awards/batches/${nextId}/post`)
      .set('Authorization', admin.auth);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ status: 'posted' });
    expect(await balanceOf(household.id)).toBe(5);
    expectError(
      await t.http
        .post(`/api/v1/point-awards/batches/${nextId}/post`)
        .set('Authorization', admin.auth),
      409,
      'BATCH_NOT_PENDING',
    );
    expectError(
      await t.http
        .post(`/api/v1/point-awards/batches/${nextId}/withdraw`)
        .set('Authorization', admin.auth)
        .send({ reason: '晚了' }),
      409,
      'BATCH_NOT_PENDING',
    );
    expectError(
      await t.http
        .post('/api/v1/point-awards/batches/999999/post')
        .set('Authorization', admin.auth),
      404,
      'NOT_FOUND',
    );
    await expectLedgersConsistent();
  });

  it('keeps a batch pending with the reason when a household left during the notice', async () => {
    const { village, store } = await place();
    const staying = await householdIn(village, store);
    const leaving = await householdIn(village, store);
    const tidy = await t.given.pointRule({ points: 5 });
    const created = await submit(admin.auth, {
      regionId: village.id,
      month,
      noticeDays: 2,
      rows: [
        { cardNo: staying.cardNo, ruleCode: tidy.code },
        { cardNo: leaving.cardNo, ruleCode: tidy.code },
      ],
    });
    const id = (created.body as BatchBody).id;
    await t.http
      .patch(`/api/v1/households/${leaving.id}`)
      .set('Authorization', admin.auth)
      .send({ status: 'exited' });

    const run = await batches.postDue(t.given.date(2));
    expect(run).toEqual({ today: t.given.date(2), posted: 0, failed: 1 });
    const kept = await batch(id);
    expect(kept.status).toBe('pending');
    expect(kept.lastError).toContain('第 2 行');
    expect(kept.lastError).toContain('已脱贫');
    expect(await balanceOf(staying.id)).toBe(0);
    expect(await entriesOfBatch(id)).toEqual([]);

    const early = await t.http
      .post(`/api/v1/point-awards/batches/${id}/post`)
      .set('Authorization', admin.auth);
    expect(problemsOf(early).map((p) => [p.row, p.column])).toEqual([[2, '卡号']]);

    // withdrawn, it leaves the nightly run alone
    await t.http
      .post(`/api/v1/point-awards/batches/${id}/withdraw`)
      .set('Authorization', admin.auth)
      .send({ reason: '该户已脱贫，重新评定' });
    expect(await batches.postDue(t.given.date(2))).toEqual({
      today: t.given.date(2),
      posted: 0,
      failed: 0,
    });
    await expectLedgersConsistent();
  });

  it('posts a due batch once when two runs start together', async () => {
    const { village, store } = await place();
    const households: Household[] = [];
    for (let i = 0; i < 3; i += 1) households.push(await householdIn(village, store));
    const tidy: PointRule = await t.given.pointRule({ points: 5, monthlyCap: 1 });
    const created = await submit(admin.auth, {
      regionId: village.id,
      month,
      noticeDays: 1,
      rows: households.map((h) => ({ cardNo: h.cardNo, ruleCode: tidy.code })),
    });
    const id = (created.body as BatchBody).id;

    const runs = await Promise.all([
      batches.postDue(t.given.date(1)),
      batches.postDue(t.given.date(1)),
    ]);

    expect(runs.map((r) => r.posted).sort()).toEqual([0, 1]);
    expect(runs.map((r) => r.failed)).toEqual([0, 0]);
    expect((await batch(id)).status).toBe('posted');
    expect(await entriesOfBatch(id)).toHaveLength(3);
    for (const household of households) expect(await balanceOf(household.id)).toBe(5);
    await expectLedgersConsistent();
  });
});
