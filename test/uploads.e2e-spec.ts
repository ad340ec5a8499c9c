import type { Region } from '@charity/organisation';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { inlineStringBomb, manySheets, understated } from './support/hostile-sheets';
import { createTestApp, type TestApp } from './support/test-app';

/** Tables an import or an award batch writes; a refused upload leaves every count as it was. */
const WRITTEN_TABLES = [
  'households',
  'point_award_batches',
  'point_award_batch_lines',
  'points_entries',
  'audit_entries',
];

const MB = 1024 * 1024;

describe('hostile spreadsheet uploads', () => {
  let t: TestApp;
  let admin: SignedIn;
  let village: Region;
  let month: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.given.signedIn('county_admin');
    const township = await t.given.region('township');
    village = await t.given.region('village', township.id);
    await t.given.store({ regionId: township.id });
    month = t.given.date(0).slice(0, 7);
  });
  afterAll(() => t.close());

  const importHouseholds = (file: Buffer, fileName: string): Promise<Response> =>
    t.http
      .post('/api/v1/households/import')
      .set('Authorization', admin.auth)
      .attach('file', file, fileName)
      .then((response) => response);

  const uploadAwards = (file: Buffer, fileName: string): Promise<Response> =>
    t.http
      .post('/api/v1/point-awards/batch/upload')
      .set('Authorization', admin.auth)
      .field('regionId', String(village.id))
      .field('month', month)
      .attach('file', file, fileName)
      .then((response) => response);

  const rowCounts = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const table of WRITTEN_TABLES) {
      const [{ count }] = await t.dataSource.query<{ count: string }[]>(
        `SELECT COUNT(*) AS count FROM \`${table}\``,
      );
      counts[table] = Number(count);
    }
    return counts;
  };

  /** Both uploads get the same refusal, /health answers 200 meanwhile, nothing is written. */
  const expectRefusedByBoth = async (
    file: Buffer,
    status: number,
    code: string,
  ): Promise<Response> => {
    const before = await rowCounts();
    const [households, awards, health] = await Promise.all([
      importHouseholds(file, '困难户名单.xlsx'),
      uploadAwards(file, '困难户名单.xlsx'),
      t.http.get('/health').then((response) => response),
    ]);
    expectError(households, status, code);
    expect(awards.body).toEqual(households.body);
    expect(health.status).toBe(200);
    expect(await rowCounts()).toEqual(before);
    return households;
  };

  it('refuses a bomb of repeated inline-string rows by its declared size, before inflating it', async () => {
    // 245 MB of sheet XML deflated to about a megabyte: what took the api 23 s and 3 GB
    const bomb = await inlineStringBomb(245 * MB);
    expect(bomb.length).toBeLessThan(2 * MB);

    const refused = await expectRefusedByBoth(bomb, 413, 'PAYLOAD_TOO_LARGE');
    expect(refused.body.message).toContain('文件解压后超过 20 MB');
    expect(refused.body.details).toEqual({
      reason: 'uncompressed_size',
      maxUncompressedBytes: 20 * MB,
      declaredBytes: expect.any(Number),
    });
    expect(refused.body.details.declaredBytes).toBeGreaterThanOrEqual(245 * MB);
  });

  it('refuses a workbook of more than 50 parts', async () => {
    // a real ExcelJS workbook: 45 sheets and the package's own parts make 60 entries
    const refused = await expectRefusedByBoth(await manySheets(45), 413, 'PAYLOAD_TOO_LARGE');
    expect(refused.body.message).toContain('超过 50 个的上限');
    expect(refused.body.details).toEqual({ reason: 'entry_count', maxEntries: 50, entries: 60 });
  });

  it('stops inflating an entry one byte past the size its central directory declares', async () => {
    // 100 MB of rows declared as 64 KB (about 130 rows, short of either row limit): the
    // declared total passes, the inflate limit does not
    const bomb = await inlineStringBomb(100 * MB);
    const lying = understated(bomb, 'xl/worksheets/sheet1.xml', 64 * 1024);

    const refused = await expectRefusedByBoth(lying, 413, 'PAYLOAD_TOO_LARGE');
    expect(refused.body.message).toContain('解压后超过其声明的大小');
    expect(refused.body.details).toEqual({
      reason: 'size_mismatch',
      entry: 'xl/worksheets/sheet1.xml',
      declaredBytes: 64 * 1024,
    });
  });

  it('refuses one household past the row limit with IMPORT_REJECTED and imports nothing', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名', '身份证号', '类别', '人口', '村']);
    for (let i = 0; i < 20_001; i += 1) {
      sheet.addRow([`户主${i}`, '11010519491231002X', '低保', 1, village.name]);
    }
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const before = await rowCounts();

    const [refused, health] = await Promise.all([
      importHouseholds(file, '名单.xlsx'),
      t.http.get('/health').then((response) => response),
    ]);
    expectError(refused, 422, 'IMPORT_REJECTED');
    expect(refused.body.message).toBe(
      '名单超过 20000 户的上限，一户都没有导入；请把文件拆成几份分批导入',
    );
    expect(refused.body.details).toEqual({ rowLimit: 20_000 });
    expect(health.status).toBe(200);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses one evaluation row past the row limit, and checks a sheet at the limit', async () => {
    const sheetOf = async (rows: number): Promise<Buffer> => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('评定');
      sheet.addRow(['卡号', '规则']);
      for (let i = 0; i < rows; i += 1) sheet.addRow([`QS99${String(i).padStart(6, '0')}`, 'R1']);
      return Buffer.from(await workbook.xlsx.writeBuffer());
    };
    const before = await rowCounts();

    const past = await uploadAwards(await sheetOf(2001), '评定表.xlsx');
    expectError(past, 422, 'IMPORT_REJECTED');
    expect(past.body.message).toBe('评定表超过 2000 行的上限，未记入任何积分；请分批提交');
    expect(past.body.details).toEqual({ rowLimit: 2000 });

    // at the limit the rows are read and checked: every card is unknown here
    const atLimit = await uploadAwards(await sheetOf(2000), '评定表.xlsx');
    expectError(atLimit, 422, 'BATCH_REJECTED');
    expect(atLimit.body.details.rows).toBe(2000);
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ['扫描件.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'wrong_type'],
    [
      'old.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      'legacy_excel',
    ],
    ['评定.docx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), 'wrong_type'],
    ['photo', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]), 'binary'],
    ['fake.xlsx', Buffer.from('卡号,规则\nQS01000001,R1\n'), 'not_xlsx'],
    ['broken.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), 'unreadable_xlsx'],
  ])(
    'refuses %s on the award upload with 415 as the household import does',
    async (name, file, reason) => {
      const before = await rowCounts();
      const awards = await uploadAwards(file, name);
      expectError(awards, 415, 'UNSUPPORTED_FILE');
      expect(awards.body.details).toEqual({ fileName: name, reason });
      expect(awards.body).toEqual((await importHouseholds(file, name)).body);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('answers an award sheet over 2 MB with a Chinese 413', async () => {
    const response = await uploadAwards(Buffer.alloc(2 * MB + 1, 'a'), '评定表.csv');
    expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(response.body.message).toBe('文件过大：上限 2 MB');
    expect(response.body.details).toEqual({ field: 'file', maxBytes: 2 * MB });
  });
});
