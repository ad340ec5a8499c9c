import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  businessDate,
  canAccessStore,
  isDuplicateKeyError,
  isStoreRole,
  NotFoundError,
  ValidationFailedError,
  type Actor,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import { Region, Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { newCardNumber } from './card-number';
import { ImportRejectedError, type RowProblem } from './household-errors';
import {
  HOUSEHOLD_SHEET_COLUMNS,
  HOUSEHOLD_SHEET_LABELS,
  readHouseholdSheet,
  type HouseholdSheet,
  type HouseholdSheetColumn,
  type HouseholdSheetRow,
} from './household-sheet';
import { outsideStoreAreaMessage, storeServesRegion } from './household-placement';
import { CATEGORY_LABELS, Household, type HouseholdCategory } from './household.entity';
import { HOUSEHOLD_PHONE_PATTERN, HouseholdsService, MAX_MEMBER_COUNT } from './households.service';
import { idNumberProblem, normalizeIdNumber } from './id-number';
import type { SheetFile } from './sheet-file';

/** Rows per INSERT and per IN (…) lookup. */
export const IMPORT_CHUNK_SIZE = 1000;
const CARD_NUMBER_ATTEMPTS = 5;
const MAX_HEAD_NAME = 50;
const MAX_ADDRESS = 200;

export interface HouseholdImportOptions {
  /** The store of rows without a 门店 cell; for a store user, their own store when left out. */
  homeStoreId?: number | null;
}

export interface ImportedHousehold {
  /** The sheet row the household came from. */
  row: number;
  id: number;
  cardNo: string;
}

export interface HouseholdImportResult {
  imported: number;
  /** In sheet order. */
  households: ImportedHousehold[];
  /** Rows left out because they are the template's example (姓名 starting with 示例). */
  exampleRows: number[];
}

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
interface ValidRow {
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

/** A household's columns but its card number, drawn inside the transaction. */
interface PreparedRow {
  row: number;
  values: Omit<Household, 'id' | 'cardNo' | 'region' | 'homeStore'>;
}

interface Problem {
  row: number;
  column: HouseholdSheetColumn;
  message: string;
}

type Resolved<T> = { value: T } | { problem: string };

/**
 * 困难户 bulk import from the county's roster (CSV or XLSX). Every row is checked first —
 * ID number, duplicates in the file and in the registry, category, size, village, phone, store —
 * and the file is refused whole with every problem, or imported whole in one transaction.
 */
@Injectable()
export class HouseholdImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly households: HouseholdsService,
    private readonly audit: AuditService,
  ) {}

  async importFile(
    actor: Actor,
    file: SheetFile,
    options: HouseholdImportOptions = {},
  ): Promise<HouseholdImportResult> {
    const defaultStore = await this.defaultStore(actor, options.homeStoreId ?? null);
    const sheet = await readHouseholdSheet(file);
    return this.importSheet(actor, sheet, defaultStore);
  }

  private async importSheet(
    actor: Actor,
    sheet: HouseholdSheet,
    defaultStore: Store | null,
  ): Promise<HouseholdImportResult> {
    const placement = await Placement.load(this.dataSource.manager);
    const today = businessDate(new Date(), this.config.timeZone);
    const problems: Problem[] = [];
    const valid: ValidRow[] = [];
    const rowsByHash = new Map<string, number[]>();
    for (const line of sheet.rows) {
      const checked = this.checkRow(actor, line, placement, defaultStore, today);
      problems.push(...checked.problems);
      if (checked.idHash !== null) {
        const rows = rowsByHash.get(checked.idHash) ?? [];
        rows.push(line.row);
        rowsByHash.set(checked.idHash, rows);
      }
      if (checked.valid) valid.push(checked.valid);
    }
    for (const rows of rowsByHash.values()) {
      if (rows.length < 2) continue;
      for (const row of rows) {
        const others = rows.filter((other) => other !== row).join('、');
        problems.push({ row, column: 'idNumber', message: `与第 ${others} 行的身份证号重复` });
      }
    }
    const registered = await this.registered(this.dataSource.manager, [...rowsByHash.keys()]);
    for (const [hash, existing] of registered) {
      for (const row of rowsByHash.get(hash) ?? []) {
        problems.push({
          row,
          column: 'idNumber',
          message: `该身份证号已登记（卡号 ${existing.cardNo}）`,
        });
      }
    }
    if (problems.length > 0) throw this.rejection(sheet, problems);

    const now = new Date();
    const prepared = valid.map((row): PreparedRow => ({
      row: row.row,
      values: {
        headName: row.headName,
        ...this.households.seal(row.idNumber, row.phone),
        category: row.category,
        memberCount: row.memberCount,
        regionId: row.regionId,
        homeStoreId: row.homeStoreId,
        address: row.address,
        status: 'active' as const,
        exitedOn: null,
        statusReason: null,
        balance: 0,
        createdBy: actor.userId === 0 ? null : actor.userId,
        createdAt: now,
        updatedAt: now,
      },
    }));
    const imported = await this.dataSource.transaction(async (em) => {
      const cards = await this.newCardNumbers(em, prepared.length, new Set());
      const used = new Set(cards);
      const households: ImportedHousehold[] = [];
      for (let start = 0; start < prepared.length; start += IMPORT_CHUNK_SIZE) {
        const chunk = prepared.slice(start, start + IMPORT_CHUNK_SIZE);
        const chunkCards = cards.slice(start, start + IMPORT_CHUNK_SIZE);
        const inserted = await this.insertChunk(em, sheet, chunk, chunkCards, used);
        households.push(...inserted);
      }
      await this.audit.record(em, actor, this.auditRecord(valid, placement));
      return households;
    });
    return { imported: imported.length, households: imported, exampleRows: sheet.exampleRows };
  }

  /** The form's store (checked: it exists and is the user's), else a store user's own store. */
  private async defaultStore(actor: Actor, homeStoreId: number | null): Promise<Store | null> {
    const storeId = homeStoreId ?? (isStoreRole(actor.role) ? actor.storeId : null);
    if (storeId === null) return null;
    assertStoreAccess(actor, storeId);
    const store = await this.dataSource.getRepository(Store).findOneBy({ id: storeId });
    if (!store) throw new NotFoundError('store', storeId);
    if (!store.active) {
      throw new ValidationFailedError(`门店“${store.name}”已停用，不能导入困难户`, {
        fields: [
          { field: 'homeStoreId', constraints: ['active'], messages: ['store is inactive'] },
        ],
      });
    }
    return store;
  }

  private checkRow(
    actor: Actor,
    line: HouseholdSheetRow,
    placement: Placement,
    defaultStore: Store | null,
    today: string,
  ): { problems: Problem[]; idHash: string | null; valid: ValidRow | null } {
    const problems: Problem[] = [];
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

    const idHash = idNumber === null ? null : this.households.idNumberHash(idNumber);
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

  /** Households already registered under any of these ID number hashes, by hash. */
  private async registered(
    em: EntityManager,
    hashes: string[],
  ): Promise<Map<string, { id: number; cardNo: string }>> {
    const found = new Map<string, { id: number; cardNo: string }>();
    for (let start = 0; start < hashes.length; start += IMPORT_CHUNK_SIZE) {
      const rows = await em.find(Household, {
        where: { idNumberHash: In(hashes.slice(start, start + IMPORT_CHUNK_SIZE)) },
        select: { id: true, cardNo: true, idNumberHash: true },
      });
      for (const row of rows) found.set(row.idNumberHash, { id: row.id, cardNo: row.cardNo });
    }
    return found;
  }

  /** `count` card numbers unique among themselves, `taken`, and the registry. */
  private async newCardNumbers(
    em: EntityManager,
    count: number,
    taken: Set<string>,
  ): Promise<string[]> {
    const cards: string[] = [];
    const drawn = new Set(taken);
    while (cards.length < count) {
      const card = newCardNumber();
      if (drawn.has(card)) continue;
      drawn.add(card);
      cards.push(card);
    }
    for (let start = 0; start < cards.length; start += IMPORT_CHUNK_SIZE) {
      const chunk = cards.slice(start, start + IMPORT_CHUNK_SIZE);
      const clashes = await em.find(Household, {
        where: { cardNo: In(chunk) },
        select: { id: true, cardNo: true },
      });
      for (const clash of clashes) {
        // one in ~10^5 per card at 10,000 households: draw again until it is free
        const index = cards.indexOf(clash.cardNo);
        const [fresh] = await this.newCardNumbers(em, 1, drawn);
        drawn.add(fresh);
        cards[index] = fresh;
      }
    }
    return cards;
  }

  /**
   * One multi-row INSERT. A duplicate key is either an ID number registered since the check (by
   * another request: the import is refused naming its rows) or a card number drawn meanwhile by
   * someone else (the chunk draws new ones and tries again; InnoDB undid only that statement).
   */
  private async insertChunk(
    em: EntityManager,
    sheet: HouseholdSheet,
    chunk: PreparedRow[],
    initialCards: string[],
    used: Set<string>,
  ): Promise<ImportedHousehold[]> {
    let cards = initialCards;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await em
          .createQueryBuilder()
          .insert()
          .into(Household)
          .values(chunk.map((entry, i) => ({ ...entry.values, cardNo: cards[i] })))
          .updateEntity(false)
          .execute();
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // read outside this transaction: the conflicting household was committed by another
        const registered = await this.registered(
          this.dataSource.manager,
          chunk.map((entry) => entry.values.idNumberHash),
        );
        if (registered.size > 0) {
          const problems = chunk.flatMap((entry): Problem[] => {
            const existing = registered.get(entry.values.idNumberHash);
            return existing
              ? [
                  {
                    row: entry.row,
                    column: 'idNumber',
                    message: `该身份证号已登记（卡号 ${existing.cardNo}）`,
                  },
                ]
              : [];
          });
          throw this.rejection(sheet, problems);
        }
        if (attempt >= CARD_NUMBER_ATTEMPTS) throw error;
        cards = await this.newCardNumbers(em, chunk.length, used);
        for (const card of cards) used.add(card);
      }
    }
    const ids = await em.find(Household, {
      where: { cardNo: In(cards) },
      select: { id: true, cardNo: true },
    });
    const idByCard = new Map(ids.map((household) => [household.cardNo, household.id]));
    return chunk.map((entry, i) => {
      const id = idByCard.get(cards[i]);
      if (id === undefined) throw new Error(`household ${cards[i]} vanished after its INSERT`);
      return { row: entry.row, id, cardNo: cards[i] };
    });
  }

  /** One entry for the whole import: counts per store, no personal data. */
  private auditRecord(
    rows: ValidRow[],
    placement: Placement,
  ): { action: string; entityType: string; summary: string; storeId: number | null } {
    const perStore = new Map<number, number>();
    for (const row of rows) perStore.set(row.homeStoreId, (perStore.get(row.homeStoreId) ?? 0) + 1);
    const breakdown = [...perStore]
      .map(([storeId, count]) => `${placement.storeName(storeId)} ${count} 户`)
      .join('，');
    return {
      action: 'household.import',
      entityType: 'household',
      summary: `批量导入困难户 ${rows.length} 户（${breakdown}）`,
      storeId: perStore.size === 1 ? [...perStore.keys()][0] : null,
    };
  }

  private rejection(sheet: HouseholdSheet, problems: Problem[]): ImportRejectedError {
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

/** Region and store names compare without spaces and full-width forms. */
function nameKey(text: string): string {
  return text.normalize('NFKC').replace(/\s/g, '');
}

/** The county's townships, villages and stores, indexed for the row checks. */
class Placement {
  private readonly regionById = new Map<number, Region>();
  private readonly byName = new Map<string, Region[]>();
  private readonly childrenOf = new Map<number, Region[]>();
  private readonly storeByCode = new Map<string, Store>();
  private readonly storeByName = new Map<string, Store>();
  private readonly storeById = new Map<number, Store>();
  private readonly activeStoresAt = new Map<number, Store[]>();

  private constructor(regions: Region[], stores: Store[]) {
    for (const region of regions) {
      this.regionById.set(region.id, region);
      if (region.level === 'county') continue;
      push(this.byName, nameKey(region.name), region);
      if (region.parentId !== null) push(this.childrenOf, region.parentId, region);
    }
    for (const store of stores) {
      this.storeById.set(store.id, store);
      this.storeByCode.set(nameKey(store.code).toUpperCase(), store);
      this.storeByName.set(nameKey(store.name), store);
      if (store.active) push(this.activeStoresAt, store.regionId, store);
    }
  }

  static async load(em: EntityManager): Promise<Placement> {
    const [regions, stores] = await Promise.all([em.find(Region), em.find(Store)]);
    return new Placement(regions, stores);
  }

  /** `村`, or `镇/村` where two townships have a village of that name, or a township without villages. */
  region(text: string): Resolved<Region> {
    const parts = text
      .split(/[/／\\]/)
      .map(nameKey)
      .filter((part) => part !== '');
    if (parts.length === 0) return { problem: '村不能为空' };
    const name = parts[parts.length - 1];
    if (parts.length >= 2) {
      const townshipName = parts[parts.length - 2];
      const townships = this.named(townshipName, 'township');
      if (townships.length === 0) return { problem: `没有名为“${townshipName}”的乡镇` };
      const villages = townships.flatMap((township) =>
        (this.childrenOf.get(township.id) ?? []).filter((v) => nameKey(v.name) === name),
      );
      if (villages.length === 1) return { value: villages[0] };
      if (villages.length > 1)
        return { problem: `有多个“${townshipName}/${name}”，请联系县级管理员` };
      return { problem: `${townshipName}下没有名为“${name}”的村（社区）` };
    }
    const villages = this.named(name, 'village');
    if (villages.length === 1) return { value: villages[0] };
    if (villages.length > 1) {
      const townships = villages.map((v) => this.regionById.get(v.parentId ?? 0)?.name ?? '?');
      return {
        problem: `有 ${villages.length} 个名为“${name}”的村（在 ${townships.join('、')}），请写作“${townships[0]}/${name}”`,
      };
    }
    const [township] = this.named(name, 'township');
    if (township) {
      const children = this.childrenOf.get(township.id) ?? [];
      if (children.length === 0) return { value: township };
      return {
        problem: `“${name}”是乡镇，下设村（社区），请填写村名，如“${name}/${children[0].name}”`,
      };
    }
    return { problem: `没有名为“${name}”的村（社区）` };
  }

  /** A store by its code (any case) or its full name. */
  storeNamed(text: string): Resolved<Store> {
    const key = nameKey(text);
    const store = this.storeByCode.get(key.toUpperCase()) ?? this.storeByName.get(key);
    if (!store) return { problem: `没有编码或名称为“${text}”的门店` };
    if (!store.active) return { problem: `门店“${store.name}”已停用` };
    return { value: store };
  }

  /**
   * The village's own shop if it has exactly one; otherwise the township's: the one at the
   * township itself, or else the only one anywhere in the township.
   */
  storeFor(region: Region): Resolved<Store> {
    const atRegion = this.activeStoresAt.get(region.id) ?? [];
    if (region.level === 'village' && atRegion.length === 1) return { value: atRegion[0] };
    if (region.level === 'village' && atRegion.length > 1) {
      return {
        problem: `${region.name}有 ${atRegion.length} 家门店，请在“门店”列填写门店编码`,
      };
    }
    const township =
      region.level === 'village' ? this.regionById.get(region.parentId ?? 0) : region;
    if (!township) return { problem: '无法确定所属门店，请在“门店”列填写门店编码' };
    const atTownship = this.activeStoresAt.get(township.id) ?? [];
    if (atTownship.length === 1) return { value: atTownship[0] };
    const inTownship = [
      ...atTownship,
      ...(this.childrenOf.get(township.id) ?? []).flatMap(
        (village) => this.activeStoresAt.get(village.id) ?? [],
      ),
    ];
    if (inTownship.length === 1) return { value: inTownship[0] };
    return {
      problem:
        inTownship.length === 0
          ? `${township.name}没有爱心超市，请在“门店”列填写门店编码，或导入时选择门店`
          : `${township.name}有 ${inTownship.length} 家门店，无法确定所属门店，请在“门店”列填写门店编码，或导入时选择门店`,
    };
  }

  /** Why `store` may not take households of `region` (storeServesRegion), or null. */
  outsideArea(store: Store, region: Region): string | null {
    const storeRegion = this.regionById.get(store.regionId);
    if (!storeRegion || storeServesRegion(storeRegion, region)) return null;
    return outsideStoreAreaMessage(store.name, storeRegion, region);
  }

  storeName(storeId: number): string {
    return this.storeById.get(storeId)?.name ?? `门店 ${storeId}`;
  }

  private named(name: string, level: 'township' | 'village'): Region[] {
    return (this.byName.get(name) ?? []).filter((region) => region.level === level);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
