import { SYSTEM_ACTOR } from '@charity/common';
import { RegionsService, type Region, type Store } from '@charity/organisation';
import ExcelJS from 'exceljs';
// the module the import service draws card numbers from, to force a collision
import * as cardNumbers from '../libs/households/src/card-number';
import type { Response } from 'supertest';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

type Cell = string | number | null;

interface ImportBody {
  imported: number;
  households: { row: number; id: number; cardNo: string }[];
  exampleRows: number[];
}

interface Problem {
  row: number;
  column: string;
  message: string;
}

const HEADER = ['姓名', '身份证号', '类别', '人口', '村', '电话', '地址', '门店'];

/** Excel's "CSV UTF-8": a BOM, commas, CRLF. */
function csv(rows: Cell[][]): Buffer {
  const text = rows
    .map((row) =>
      row
        .map((cell) => {
          const value = cell === null ? '' : String(cell);
          return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
        })
        .join(','),
    )
    .join('\r\n');
  return Buffer.from(`\uFEFF${text}\r\n`);
}

async function xlsx(rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A supertest response body read as a Buffer (for file downloads). */
function binary(response: unknown, callback: (error: Error | null, body: Buffer) => void): void {
  // superagent hands a custom parser the raw response stream
  const stream = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('households import', () => {
  let t: TestApp;
  let admin: SignedIn;
  let township: Region;
  let villageA: Region;
  let villageB: Region;
  /** The only store in `township`, so rows there need no 门店. */
  let store: Store;
  let otherStore: Store;
  let manager: SignedIn;
  const suffix = String(Date.now() % 1_000_000);
  /** Every full ID number and phone this suite uploads. */
  const secrets = new Set<string>();
  /** Every response body, to prove no full ID number or phone comes back. */
  const seen: string[] = [];

  const record = (response: Response): Response => {
    seen.push(response.text ?? '', JSON.stringify(response.body ?? null));
    return response;
  };
  const idNumber = (): string => {
    const id = t.given.idNumber();
    secrets.add(id);
    return id;
  };
  const upload = async (
    file: Buffer | null,
    fileName = 'roster.csv',
    as: SignedIn = admin,
    fields: Record<string, string | number> = {},
  ): Promise<Response> => {
    const request = t.http.post('/api/v1/households/import').set('Authorization', as.auth);
    for (const [name, value] of Object.entries(fields)) void request.field(name, String(value));
    if (file) void request.attach('file', file, fileName);
    return record(await request);
  };
  const householdCount = async (): Promise<number> => {
    const [{ count }] = await t.dataSource.query<{ count: string }[]>(
      'SELECT COUNT(*) AS count FROM households',
    );
    return Number(count);
  };
  const problemsOf = (response: Response): Problem[] =>
    (response.body as { details: { problems: Problem[] } }).details.problems;
  const search = async (term: string): Promise<Record<string, unknown>[]> => {
    const response = record(
      await t.http
        .get(`/api/v1/households?search=${encodeURIComponent(term)}&pageSize=200`)
        .set('Authorization', admin.auth),
    );
    expect(response.status).toBe(200);
    return (response.body as { items: Record<string, unknown>[] }).items;
  };
  const region = (name: string, level: 'township' | 'village', parentId: number) =>
    t.app.get(RegionsService).create(SYSTEM_ACTOR, { name, level, parentId });

  beforeAll(async () => {
    t = await createTestApp();
    const county = await t.given.region('county');
    township = await region(`东坪镇${suffix}`, 'township', county.id);
    villageA = await region(`上庄村${suffix}`, 'village', township.id);
    villageB = await region(`南岭村${suffix}`, 'village', township.id);
    store = await t.given.store({ regionId: township.id });
    otherStore = await t.given.store();
    [admin, manager] = await Promise.all([
      t.given.signedIn('county_admin'),
      t.given.signedIn('store_manager', store.id),
    ]);
  });

  afterAll(() => t.close());

  it('imports a roster CSV whole; every household is searchable and shown masked', async () => {
    const ids = [idNumber(), idNumber(), idNumber(), idNumber()];
    const phone = '13912345678';
    secrets.add(phone);
    const before = await householdCount();
    const response = await upload(
      csv([
        ['序号', '户主姓名', '身份证号码', '类别', '家庭人口', '所属村', '联系电话', '备注'],
        [1, `王秀英${suffix}`, ids[0], '五保', 1, villageA.name, phone, '独居'],
        [2, '李建国', ids[1], '低保户', '3人', villageB.name, '', ''],
        [
          3,
          '张桂兰',
          ids[2].toLowerCase(),
          'tekun',
          2,
          `${township.name}/${villageA.name}`,
          '',
          '',
        ],
        [4, '赵四', ids[3], '一般户', 5, villageB.name, '0391-1234567', ''],
      ]),
    );
    expect(response.status).toBe(201);
    const body = response.body as ImportBody;
    expect(body.imported).toBe(4);
    expect(body.households.map((h) => h.row)).toEqual([2, 3, 4, 5]);
    expect(new Set(body.households.map((h) => h.cardNo)).size).toBe(4);
    expect(await householdCount()).toBe(before + 4);

    const [found] = await search(ids[0]);
    expect(found).toMatchObject({
      id: body.households[0].id,
      cardNo: body.households[0].cardNo,
      headName: `王秀英${suffix}`,
      idNumberMasked: `${ids[0].slice(0, 6)}********${ids[0].slice(-4)}`,
      category: 'wubao',
      memberCount: 1,
      regionId: villageA.id,
      homeStoreId: store.id,
      phoneMasked: '139****5678',
      status: 'active',
      balance: 0,
    });
    const categories = await Promise.all(ids.map(async (id) => (await search(id))[0]?.category));
    expect(categories).toEqual(['wubao', 'dibao', 'tekun', 'other']);
    expect((await search(ids[2]))[0]).toMatchObject({ regionId: villageA.id, memberCount: 2 });
    expect((await search(ids[1]))[0]).toMatchObject({ memberCount: 3 });

    // one audit entry for the whole file, with the count and no personal data
    const audits = await t.dataSource.query<{ summary: string; store_id: number | null }[]>(
      "SELECT summary, store_id FROM audit_entries WHERE action = 'household.import' AND summary LIKE ?",
      [`%${store.name}%`],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0].summary).toContain('4 户');
    expect(Number(audits[0].store_id)).toBe(store.id);
    for (const id of ids) expect(audits[0].summary).not.toContain(id);
  });

  it('imports an XLSX with numbers in cells, store codes and names, and a township without villages', async () => {
    const remote = await region(`石门乡${suffix}`, 'township', township.parentId ?? 0);
    const remoteStore = await t.given.store({ regionId: remote.id });
    const ids = [idNumber(), idNumber(), idNumber()];
    const response = await upload(
      await xlsx([
        ['姓名', '身份证号', '类别', '人口', '村', '手机号码', '家庭住址', '门店编码'],
        ['陈红', ids[0], '特困', 2, villageA.name, 13812345678, '上庄村一组', store.code],
        ['刘强', ids[1], '建档立卡', 4, remote.name, null, null, null],
        ['孙丽', ids[2], '低保', 1, villageB.name, null, null, otherStore.name],
      ]),
      '名单.xlsx',
    );
    expect(response.status).toBe(201);
    const body = response.body as ImportBody;
    expect(body.imported).toBe(3);
    expect((await search(ids[0]))[0]).toMatchObject({
      homeStoreId: store.id,
      address: '上庄村一组',
      phoneMasked: '138****5678',
    });
    expect((await search(ids[1]))[0]).toMatchObject({
      regionId: remote.id,
      homeStoreId: remoteStore.id,
    });
    expect((await search(ids[2]))[0]).toMatchObject({ homeStoreId: otherStore.id });
  });

  it('refuses a file with bad rows, naming every row and column, and imports nothing', async () => {
    const good = idNumber();
    const valid = idNumber();
    const wrongCheck = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    const before = await householdCount();
    const response = await upload(
      csv([
        HEADER,
        ['好人', good, '低保', 2, villageA.name, '', '', ''],
        ['', wrongCheck, '低保', 2, villageA.name, '', '', ''],
        ['王五', '', '困难户', 0, villageA.name, '', '', ''],
        ['赵六', '4.10423E+17', '五保', 'abc', '不存在村', '12345', '', ''],
        ['钱七', idNumber(), '特困', 31, villageB.name, '', '', '不存在的店'],
      ]),
    );
    expectError(response, 422, 'IMPORT_REJECTED');
    expect(response.body.details.rows).toBe(5);
    expect(problemsOf(response).map(({ row, column }) => `${row} ${column}`)).toEqual([
      '3 姓名',
      '3 身份证号',
      '4 身份证号',
      '4 类别',
      '4 人口',
      '5 身份证号',
      '5 人口',
      '5 村',
      '5 电话',
      '6 人口',
      '6 门店',
    ]);
    const messages = problemsOf(response).map((problem) => problem.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('校验位')]));
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('文本')]));
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('“困难户”无法识别')]));
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('“不存在村”')]));
    // the good row was not imported either
    expect(await householdCount()).toBe(before);
    expect(await search(good)).toEqual([]);
  });

  it('refuses an ID number repeated in the file (naming both rows) or registered before', async () => {
    const existing = await t.given.household({ regionId: villageA.id, homeStoreId: store.id });
    secrets.add(existing.idNumber);
    const twice = idNumber();
    const before = await householdCount();
    const response = await upload(
      csv([
        HEADER,
        ['甲', twice, '低保', 1, villageA.name, '', '', ''],
        ['乙', idNumber(), '低保', 1, villageA.name, '', '', ''],
        ['丙', twice.toLowerCase(), '低保', 1, villageB.name, '', '', ''],
        ['丁', existing.idNumber, '五保', 1, villageB.name, '', '', ''],
      ]),
    );
    expectError(response, 422, 'IMPORT_REJECTED');
    expect(problemsOf(response)).toEqual([
      { row: 2, column: '身份证号', message: '与第 4 行的身份证号重复' },
      { row: 4, column: '身份证号', message: '与第 2 行的身份证号重复' },
      {
        row: 5,
        column: '身份证号',
        message: `该身份证号已登记（卡号 ${existing.cardNo}）`,
      },
    ]);
    expect(await householdCount()).toBe(before);
  });

  it('imports a roster sent twice at the same moment once', async () => {
    const roster = csv([
      HEADER,
      ...Array.from({ length: 30 }, (_, i): Cell[] => [
        `并发${i}`,
        idNumber(),
        '低保',
        1,
        villageA.name,
        '',
        '',
        '',
      ]),
    ]);
    const before = await householdCount();
    const responses = await Promise.all([upload(roster), upload(roster)]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 422]);
    const refused = responses.find((r) => r.status === 422) as Response;
    expectError(refused, 422, 'IMPORT_REJECTED');
    expect(problemsOf(refused)[0].message).toContain('已登记');
    expect(await householdCount()).toBe(before + 30);
  });

  it('draws another card number where one is already taken', async () => {
    const existing = await t.given.household({ regionId: villageA.id, homeStoreId: store.id });
    secrets.add(existing.idNumber);
    const draw = jest.spyOn(cardNumbers, 'newCardNumber');
    draw.mockReturnValueOnce(existing.cardNo);
    try {
      const response = await upload(
        csv([HEADER, ['卫青', idNumber(), '低保', 1, villageA.name, '', '', '']]),
      );
      expect(response.status).toBe(201);
      const [imported] = (response.body as ImportBody).households;
      expect(imported.cardNo).not.toBe(existing.cardNo);
      expect(imported.cardNo).toMatch(/^H\d{10}$/);
    } finally {
      draw.mockRestore();
    }
  });

  it('asks for 镇/村 where two townships have a village of that name, and for a store where the township has several', async () => {
    const county = township.parentId ?? 0;
    const second = await region(`柳河镇${suffix}`, 'township', county);
    const twinName = `王庄村${suffix}`;
    await region(twinName, 'village', township.id);
    const twin = await region(twinName, 'village', second.id);
    await t.given.store({ regionId: second.id });
    await t.given.store({ regionId: second.id });
    const rows = (village: string): Cell[][] => [
      HEADER,
      ['周八', idNumber(), '低保', 1, village, '', '', ''],
    ];

    const ambiguous = await upload(csv(rows(twinName)));
    expectError(ambiguous, 422, 'IMPORT_REJECTED');
    expect(problemsOf(ambiguous)).toEqual([
      { row: 2, column: '村', message: expect.stringContaining(`${township.name}/${twinName}`) },
    ]);

    const noStore = await upload(csv(rows(`${second.name}/${twinName}`)));
    expectError(noStore, 422, 'IMPORT_REJECTED');
    expect(problemsOf(noStore)).toEqual([
      { row: 2, column: '门店', message: expect.stringContaining('有 2 家门店') },
    ]);

    const chosen = await upload(csv(rows(`${second.name}／${twinName}`)), 'a.csv', admin, {
      homeStoreId: otherStore.id,
    });
    expect(chosen.status).toBe(201);
    const [household] = await search((chosen.body as ImportBody).households[0].cardNo);
    expect(household).toMatchObject({ regionId: twin.id, homeStoreId: otherStore.id });
  });

  it('lets a store manager import into their own store only', async () => {
    const before = await householdCount();
    const foreign = await upload(
      csv([HEADER, ['吴九', idNumber(), '低保', 1, villageA.name, '', '', '']]),
      'a.csv',
      manager,
      { homeStoreId: otherStore.id },
    );
    expectError(foreign, 403, 'FORBIDDEN');

    const foreignRow = await upload(
      csv([
        HEADER,
        ['郑十', idNumber(), '低保', 1, villageA.name, '', '', ''],
        ['冯十一', idNumber(), '低保', 1, villageA.name, '', '', otherStore.code],
      ]),
      'a.csv',
      manager,
    );
    expectError(foreignRow, 422, 'IMPORT_REJECTED');
    expect(problemsOf(foreignRow)).toEqual([
      { row: 3, column: '门店', message: expect.stringContaining('无权导入到其他门店') },
    ]);
    expect(await householdCount()).toBe(before);

    // only in the store's own township and its villages
    const farTownship = await region(`西河乡${suffix}`, 'township', township.parentId as number);
    const farVillage = await region(`北坡村${suffix}`, 'village', farTownship.id);
    // a township without villages takes households itself
    const bareTownship = await region(`河口镇${suffix}`, 'township', township.parentId as number);
    const elsewhere = await upload(
      csv([
        HEADER,
        ['郑十', idNumber(), '低保', 1, villageA.name, '', '', ''],
        ['冯十一', idNumber(), '低保', 1, farVillage.name, '', '', ''],
        ['陈十二', idNumber(), '低保', 1, bareTownship.name, '', '', store.code],
      ]),
      'a.csv',
      manager,
    );
    expectError(elsewhere, 422, 'IMPORT_REJECTED');
    expect(problemsOf(elsewhere)).toEqual([
      { row: 3, column: '村', message: expect.stringContaining(`“${farVillage.name}”不在`) },
      { row: 4, column: '村', message: expect.stringContaining(`“${bareTownship.name}”不在`) },
    ]);
    expect(await householdCount()).toBe(before);

    // without a store named anywhere, a manager's households go to their own store
    const own = idNumber();
    const mine = await upload(
      csv([HEADER, ['郑十', own, '低保', 1, villageB.name, '', '', '']]),
      'a.csv',
      manager,
    );
    expect(mine.status).toBe(201);
    expect((await search(own))[0]).toMatchObject({ homeStoreId: store.id });

    const clerk = await t.given.signedIn('clerk', store.id);
    expectError(await upload(csv([HEADER]), 'a.csv', clerk), 403, 'FORBIDDEN');
  });

  it('serves templates that import once filled in', async () => {
    const xlsxTemplate = await t.http
      .get('/api/v1/households/import/template?format=xlsx')
      .set('Authorization', admin.auth)
      .buffer(true)
      .parse(binary);
    expect(xlsxTemplate.status).toBe(200);
    expect(xlsxTemplate.headers['content-type']).toContain('spreadsheetml');
    expect(xlsxTemplate.headers['content-disposition']).toContain('attachment');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxTemplate.body as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['困难户名单', '说明']);
    const roster = workbook.worksheets[0];
    expect((roster.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    const notes = JSON.stringify(workbook.worksheets[1].getSheetValues());
    for (const label of ['五保', '低保', '特困', '建档立卡', '镇/村'])
      expect(notes).toContain(label);
    const fromXlsx = idNumber();
    roster.getRow(3).values = ['何静', fromXlsx, '特困', 1, villageB.name];
    const filledXlsx = await upload(
      Buffer.from(await workbook.xlsx.writeBuffer()),
      '困难户导入模板.xlsx',
    );
    expect(filledXlsx.status).toBe(201);
    expect(filledXlsx.body).toMatchObject({ imported: 1, exampleRows: [2] });
    expect((await search(fromXlsx))[0]).toMatchObject({ category: 'tekun', homeStoreId: store.id });

    const csvTemplate = await t.http
      .get('/api/v1/households/import/template?format=csv')
      .set('Authorization', admin.auth)
      .buffer(true)
      .parse(binary);
    expect(csvTemplate.status).toBe(200);
    expect(csvTemplate.headers['content-type']).toContain('text/csv');
    const template = csvTemplate.body as Buffer;
    expect([...template.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = template
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0].split(',')).toEqual(HEADER);
    const fromCsv = idNumber();
    const filled = `${template.toString('utf8')}孔明,${fromCsv},五保,1,${villageA.name},,,\r\n`;
    const filledCsv = await upload(Buffer.from(filled), '困难户导入模板.csv');
    expect(filledCsv.status).toBe(201);
    expect(filledCsv.body).toMatchObject({ imported: 1, exampleRows: [2] });

    const bad = await t.http
      .get('/api/v1/households/import/template?format=pdf')
      .set('Authorization', admin.auth);
    expectError(bad, 400, 'VALIDATION_FAILED');
  });

  it('answers an unusable upload with a 4xx naming the problem, never a 500', async () => {
    const before = await householdCount();
    const missing = await upload(null);
    expectError(missing, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(missing.body.details)).toContain('file');

    const wrongField = record(
      await t.http
        .post('/api/v1/households/import')
        .set('Authorization', admin.auth)
        .attach('sheet', csv([HEADER]), 'a.csv'),
    );
    expectError(wrongField, 400, 'VALIDATION_FAILED');

    const huge = Buffer.alloc(11 * 1024 * 1024, 'a');
    const tooLarge = await upload(huge, 'huge.csv');
    expectError(tooLarge, 413, 'PAYLOAD_TOO_LARGE');
    expect(tooLarge.body.message).toContain('10 MB');
    const scan = await upload(Buffer.from('%PDF-1.7\n%…'), '困难户名单扫描件.pdf');
    expectError(scan, 415, 'UNSUPPORTED_FILE');
    // the name as the clerk's computer sent it (UTF-8), not read as latin1
    expect(scan.body.details.fileName).toBe('困难户名单扫描件.pdf');
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expectError(await upload(xls, 'old.xls'), 415, 'UNSUPPORTED_FILE');
    expectError(await upload(Buffer.alloc(0), 'empty.csv'), 422, 'INVALID_SHEET');
    expectError(await upload(csv([HEADER]), 'header.csv'), 422, 'INVALID_SHEET');
    expectError(
      await upload(
        csv([
          ['a', 'b'],
          [1, 2],
        ]),
        'odd.csv',
      ),
      422,
      'INVALID_SHEET',
    );
    expectError(
      await upload(csv([HEADER]), 'a.csv', admin, { homeStoreId: 'abc' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await upload(csv([HEADER]), 'a.csv', admin, { homeStoreId: 99_999_999 }),
      404,
      'NOT_FOUND',
    );
    expect(await householdCount()).toBe(before);
  });

  // declared last, so it runs after every other test of the suite
  it('showed no full ID number or phone in any response', () => {
    const everything = seen.join('\n');
    expect(secrets.size).toBeGreaterThan(20);
    expect(everything).toContain('********');
    const leaked = [...secrets].filter((secret) => everything.includes(secret));
    expect(leaked).toEqual([]);
  });
});
