import { canAccessStore, type Actor } from '@charity/common';
import type { Region, Store } from '@charity/organisation';
import { ImportRejectedError, type RowProblem } from './household-errors';
import type { ImportPlacement } from './household-import-placement';
import {
  HOUSEHOLD_SHEET_COLUMNS,
  HOUSEHOLD_SHEET_LABELS,
  type HouseholdSheet,
  type HouseholdSheetColumn,
  type HouseholdSheetRow,
} from './household-sheet';
import { CATEGORY_LABELS, type HouseholdCategory } from './household.entity';
import { HOUSEHOLD_PHONE_PATTERN, MAX_MEMBER_COUNT } from './households.service';
import { idNumberProblem, normalizeIdNumber } from './id-number';

const MAX_HEAD_NAME = 50;
const MAX_ADDRESS = 200;

/** Category as county rosters write it: the label, its common longer forms, or the code. */
const CATEGORY_WORDS = new Map<string, HouseholdCategory>([
  ['wubao', 'wubao'],
  ['dibao', 'dibao'],
  ['tekun', 'tekun'],
  ['other', 'other'],
  ['五保', 'wubao'],
  ['五保供养', 'wubao'],
  ['农村五保', 'wubao'],
  ['低保', 'dibao'],
  ['城市低保', 'dibao'],
  ['农村低保', 'dibao'],
  ['城乡低保', 'dibao'],
  ['特困', 'tekun'],
  ['特困供养', 'tekun'],
  ['特困人员', 'tekun'],
  ['特困供养人员', 'tekun'],
  ['建档立卡', 'other'],
  ['建档立卡贫困', 'other'],
  ['一般', 'other'],
  ['其他', 'other'],
  ['其它', 'other'],
]);

/** A row that passed every check, ready to seal and insert. */
export interface ValidRow {
  row: number;
  headName: string;
  idNumber: string;
  idHash: string;
  category: HouseholdCategory;
  memberCount: number;
  regionId: number;
  homeStoreId: number;
  phone: string | null;
  address: string | null;
}

/** One refused cell, by the sheet column it was read from. */
export interface ImportProblem {
  row: number;
  column: HouseholdSheetColumn;
  message: string;
}

/** What a row's checks need besides the row. */
export interface RowCheckContext {
  actor: Actor;
  placement: ImportPlacement;
  /** The store of rows without a 门店 cell, when the form or the user's role names one. */
  defaultStore: Store | null;
  /** The business date, for an ID number's birth date and age. */
  today: string;
  /** The registry's lookup hash of a normalised ID number (HouseholdsService.idNumberHash). */
  idNumberHash: (idNumber: string) => string;
}

export interface CheckedSheet {
  problems: ImportProblem[];
  /** The rows that passed, in sheet order; imported only when `problems` is empty. */
  valid: ValidRow[];
  /** Each readable ID number's hash and the sheet rows carrying it. */
  rowsByIdHash: Map<string, number[]>;
}

/**
 * Every row's cells checked against the rules and the county's placement, and ID numbers
 * repeated within the file; the registry is not asked (see the service).
 */
export function checkSheetRows(sheet: HouseholdSheet, context: RowCheckContext): CheckedSheet {
  const problems: ImportProblem[] = [];
  const valid: ValidRow[] = [];
  const rowsByIdHash = new Map<string, number[]>();
  for (const line of sheet.rows) {
    const checked = checkRow(line, context);
    problems.push(...checked.problems);
    if (checked.idHash !== null) {
      const rows = rowsByIdHash.get(checked.idHash) ?? [];
      rows.push(line.row);
      rowsByIdHash.set(checked.idHash, rows);
    }
    if (checked.valid) valid.push(checked.valid);
  }
  for (const rows of rowsByIdHash.values()) {
    if (rows.length < 2) continue;
    for (const row of rows) {
      const others = rows.filter((other) => other !== row).join('、');
      problems.push({ row, column: 'idNumber', message: `与第 ${others} 行的身份证号重复` });
    }
  }
  return { problems, valid, rowsByIdHash };
}

/** The problem of a row whose ID number the registry holds already. */
export function alreadyRegistered(row: number, cardNo: string): ImportProblem {
  return { row, column: 'idNumber', message: `该身份证号已登记（卡号 ${cardNo}）` };
}

/** The refusal of the whole file, its problems in sheet order under the user's own headers. */
export function importRejection(
  sheet: HouseholdSheet,
  problems: ImportProblem[],
): ImportRejectedError {
  const order = (column: HouseholdSheetColumn): number => HOUSEHOLD_SHEET_COLUMNS.indexOf(column);
  const listed: RowProblem[] = [...problems]
    .sort((a, b) => a.row - b.row || order(a.column) - order(b.column))
    .map((problem) => ({
      row: problem.row,
      // the header as written in the user's file, so they find the cell
      column: sheet.headers[problem.column] ?? HOUSEHOLD_SHEET_LABELS[problem.column],
      message: problem.message,
    }));
  return new ImportRejectedError(listed, sheet.rows.length);
}

/** One row's cells; its ID number's hash even when other cells fail, to find repeats. */
function checkRow(
  line: HouseholdSheetRow,
  { actor, placement, defaultStore, today, idNumberHash }: RowCheckContext,
): { problems: ImportProblem[]; idHash: string | null; valid: ValidRow | null } {
  const problems: ImportProblem[] = [];
  const fail = (column: HouseholdSheetColumn, message: string): null => {
    problems.push({ row: line.row, column, message });
    return null;
  };
  const { cells } = line;

  const headName =
    cells.headName === undefined
      ? fail('headName', '姓名不能为空')
      : cells.headName.length > MAX_HEAD_NAME
        ? fail('headName', `姓名最多 ${MAX_HEAD_NAME} 个字`)
        : cells.headName;

  let idNumber: string | null = null;
  const idText = cells.idNumber;
  if (idText === undefined) {
    fail('idNumber', '身份证号不能为空');
  } else {
    const id = normalizeIdNumber(idText.normalize('NFKC').replace(/[\s\u200b]/g, ''));
    const problem = idNumberProblem(id, today);
    if (problem === null) idNumber = id;
    else if (line.numeric.includes('idNumber') || /^\d(\.\d+)?E\+?\d+$/i.test(id)) {
      fail(
        'idNumber',
        '身份证号被 Excel 当成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写',
      );
    } else fail('idNumber', problem);
  }

  const category =
    cells.category === undefined
      ? fail('category', '类别不能为空')
      : (categoryOf(cells.category) ??
        fail(
          'category',
          `类别“${cells.category}”无法识别，应为 ${Object.values(CATEGORY_LABELS).join('、')} 之一（一般户、其他记为建档立卡）`,
        ));

  const memberCount =
    cells.memberCount === undefined
      ? fail('memberCount', '人口不能为空')
      : (memberCountOf(cells.memberCount) ??
        fail('memberCount', `人口应为 1 到 ${MAX_MEMBER_COUNT} 的整数`));

  let region: Region | null = null;
  if (cells.village === undefined) fail('village', '村不能为空');
  else {
    const resolved = placement.region(cells.village);
    if ('problem' in resolved) fail('village', resolved.problem);
    else region = resolved.value;
  }

  let phone: string | null = null;
  if (cells.phone !== undefined) {
    phone = phoneOf(cells.phone);
    if (phone === null) {
      fail('phone', '电话格式不正确：应为11位手机号，或带区号的固定电话（如 0391-1234567）');
    }
  }

  const address =
    cells.address === undefined
      ? null
      : cells.address.length > MAX_ADDRESS
        ? fail('address', `地址最多 ${MAX_ADDRESS} 个字`)
        : cells.address;

  let store: Store | null = null;
  if (cells.store !== undefined) {
    const resolved = placement.storeNamed(cells.store);
    if ('problem' in resolved) fail('store', resolved.problem);
    else store = resolved.value;
  } else if (defaultStore) {
    store = defaultStore;
  } else if (region) {
    const resolved = placement.storeFor(region);
    if ('problem' in resolved) fail('store', resolved.problem);
    else store = resolved.value;
  }
  if (store && !canAccessStore(actor, store.id)) {
    store = fail('store', `无权导入到其他门店（${store.name}），只能导入到本店`);
  }
  if (store && region && actor.role === 'store_manager') {
    const outside = placement.outsideArea(store, region);
    if (outside !== null) region = fail('village', outside);
  }

  const idHash = idNumber === null ? null : idNumberHash(idNumber);
  if (
    problems.length > 0 ||
    headName === null ||
    idNumber === null ||
    idHash === null ||
    category === null ||
    memberCount === null ||
    region === null ||
    store === null
  ) {
    return { problems, idHash, valid: null };
  }
  return {
    problems,
    idHash,
    valid: {
      row: line.row,
      headName,
      idNumber,
      idHash,
      category,
      memberCount,
      regionId: region.id,
      homeStoreId: store.id,
      phone,
      address,
    },
  };
}

function categoryOf(text: string): HouseholdCategory | null {
  const key = text.normalize('NFKC').replace(/\s/g, '').toLowerCase();
  return CATEGORY_WORDS.get(key) ?? CATEGORY_WORDS.get(key.replace(/户$/, '')) ?? null;
}

function memberCountOf(text: string): number | null {
  const match = /^(\d{1,3})(?:人|口)?$/.exec(text.normalize('NFKC').replace(/\s/g, ''));
  if (!match) return null;
  const count = Number(match[1]);
  return count >= 1 && count <= MAX_MEMBER_COUNT ? count : null;
}

/** Spaces, a +86 prefix and a mobile's dashes dropped; null when it is no phone number. */
function phoneOf(text: string): string | null {
  let phone = text.normalize('NFKC').replace(/\s/g, '');
  phone = phone.replace(/^(?:\+?86-?)(?=1\d)/, '');
  if (/^1\d{2}-?\d{4}-?\d{4}$/.test(phone)) phone = phone.replace(/-/g, '');
  return HOUSEHOLD_PHONE_PATTERN.test(phone) ? phone : null;
}
