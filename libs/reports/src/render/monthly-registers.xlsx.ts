import { printedSheet } from '@charity/documents';
import type ExcelJS from 'exceljs';
import type { AidRegisterRow, DonationRegisterRow } from '../monthly-report.types';
import {
  DONATION_STATUS_LABELS,
  fenToYuan,
  FULFILMENT_LABELS,
  REDEMPTION_STATUS_LABELS,
} from './report-format';
import {
  type Cell,
  COUNT_FORMAT,
  DATE_FORMAT,
  HEADER_FONT,
  headerRow,
  YUAN_FORMAT,
} from './xlsx-cells';

// The monthly report's registers: 捐赠明细 (one row per donation line) and 兑换明细 (one row per
// redemption, households by card number only), each streamed row by row and ending in a 合计.

interface RegisterColumn {
  header: string;
  width: number;
  numFmt?: string;
}

/**
 * A register sheet: bold frozen header with a filter and column formats. `add` appends and
 * commits one row; `done` writes the 合计 row and its note under any rows, set apart by a blank
 * row so that sorting or filtering the register leaves them where they are, and commits the sheet.
 */
function registerSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: RegisterColumn[],
): { add: (values: Cell[]) => void; done: (total: Cell[], note: string) => void } {
  const sheet = workbook.addWorksheet(
    name,
    printedSheet({ frozenRows: 1, repeatedRows: 1, scale: 'fitToWidth' }),
  );
  sheet.columns = columns.map(({ header, width, numFmt: format }) => ({
    header,
    width,
    ...(format ? { style: { numFmt: format } } : {}),
  }));
  headerRow(sheet.getRow(1));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  // exceljs gives every new cell its own copy of the column style and finds a style's id by
  // object identity, so 100 000 rows would mean a million styles serialised to be looked up.
  // Handing each column's cells one shared object halves the time of a large register.
  const styles: Partial<ExcelJS.Style>[] = columns.map(({ numFmt: format }) =>
    format ? { numFmt: format } : {},
  );
  const add = (values: Cell[], rowStyles: Partial<ExcelJS.Style>[]) => {
    const row = sheet.addRow(values);
    rowStyles.forEach((style, i) => {
      row.getCell(i + 1).style = style;
    });
    row.commit();
  };
  let rows = 0;
  return {
    add: (values) => {
      add(values, styles);
      rows += 1;
    },
    done: (total, note) => {
      if (rows > 0) {
        add([], []);
        add(
          total,
          styles.map((style) => ({ ...style, font: HEADER_FONT })),
        );
        add([note], []);
      }
      sheet.commit();
    },
  };
}

/** `YYYY-MM-DD` as a date cell (midnight UTC, which Excel shows as that day). */
function dateCell(date: string): Date | string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : date;
}

function yuanOrNull(fen: number | null): number | null {
  return fen === null ? null : fenToYuan(fen);
}

export function donationSheet(
  workbook: ExcelJS.Workbook,
  rows: DonationRegisterRow[],
  kinds: Map<string, string>,
): void {
  const register = registerSheet(workbook, '捐赠明细', [
    { header: '收据编号', width: 22 },
    { header: '捐赠日期', width: 12, numFmt: DATE_FORMAT },
    { header: '接收超市', width: 24 },
    { header: '捐赠方', width: 26 },
    { header: '捐赠方类型', width: 12 },
    { header: '行号', width: 6, numFmt: COUNT_FORMAT },
    { header: '物资名称', width: 22 },
    { header: '物资品类', width: 14 },
    { header: '数量', width: 10, numFmt: COUNT_FORMAT },
    { header: '单位', width: 6 },
    { header: '单价(元)', width: 12, numFmt: YUAN_FORMAT },
    { header: '金额(元)', width: 14, numFmt: YUAN_FORMAT },
    { header: '现金(元)', width: 14, numFmt: YUAN_FORMAT },
    { header: '状态', width: 8 },
  ]);
  // in fen, summed as the month's figures sum them
  const counted = { donations: new Set<number>(), amountFen: 0, cashFen: 0 };
  for (const row of rows) {
    if (row.countsInMonth) {
      counted.donations.add(row.donationId);
      counted.amountFen += row.amountFen;
      counted.cashFen += row.cashFen;
    }
    register.add([
      row.receiptNo,
      dateCell(row.receivedDate),
      row.storeName,
      row.donorName,
      kinds.get(row.donorKind) ?? row.donorKind,
      row.lineNo,
      row.productName,
      row.categoryName,
      row.quantity,
      row.unit,
      yuanOrNull(row.unitValueFen),
      fenToYuan(row.amountFen),
      fenToYuan(row.cashFen),
      DONATION_STATUS_LABELS[row.status] ?? row.status,
    ]);
  }
  register.done(
    [
      `合计：${counted.donations.size}笔`,
      ...Array<Cell>(10).fill(null),
      fenToYuan(counted.amountFen),
      fenToYuan(counted.cashFen),
    ],
    '注：合计与汇总表同口径：当月作废的不计；月末之后才作废的仍计入当月，在作废的月份作为更正扣减。',
  );
}

export function aidSheet(workbook: ExcelJS.Workbook, rows: AidRegisterRow[]): void {
  const register = registerSheet(workbook, '兑换明细', [
    { header: '兑换单号', width: 22 },
    { header: '兑换日期', width: 12, numFmt: DATE_FORMAT },
    { header: '超市', width: 24 },
    { header: '乡镇', width: 14 },
    { header: '积分卡号', width: 18 },
    { header: '困难户类别', width: 12 },
    { header: '兑换方式', width: 10 },
    { header: '状态', width: 8 },
    { header: '品项数', width: 8, numFmt: COUNT_FORMAT },
    { header: '积分', width: 10, numFmt: COUNT_FORMAT },
    { header: '物资价值(元)', width: 14, numFmt: YUAN_FORMAT },
  ]);
  // in fen, summed as the month's figures sum them
  const counted = { visits: 0, lines: 0, points: 0, goodsValueFen: 0 };
  for (const row of rows) {
    if (row.countsInMonth) {
      counted.visits += 1;
      counted.lines += row.lines;
      counted.points += row.pointsTotal;
      counted.goodsValueFen += row.goodsValueFen;
    }
    register.add([
      row.receiptNo,
      dateCell(row.businessDate),
      row.storeName,
      row.townshipName,
      row.cardNo,
      row.householdCategoryLabel,
      FULFILMENT_LABELS[row.fulfilment] ?? row.fulfilment,
      REDEMPTION_STATUS_LABELS[row.status] ?? row.status,
      row.lines,
      row.pointsTotal,
      fenToYuan(row.goodsValueFen),
    ]);
  }
  register.done(
    [
      `合计：${counted.visits}人次`,
      ...Array<Cell>(7).fill(null),
      counted.lines,
      counted.points,
      fenToYuan(counted.goodsValueFen),
    ],
    '注：合计与汇总表同口径：当月作废、取消的不计；月末之后才作废或取消的仍计入当月，在作废或取消的月份作为更正扣减。',
  );
}
