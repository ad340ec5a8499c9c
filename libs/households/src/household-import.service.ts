import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  businessDate,
  isStoreRole,
  NotFoundError,
  ValidationFailedError,
  type Actor,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import { Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportPlacement } from './household-import-placement';
import {
  alreadyRegistered,
  checkSheetRows,
  importRejection,
  type ValidRow,
} from './household-import-rows';
import {
  insertHouseholds,
  registeredByIdHash,
  type ImportedHousehold,
  type PreparedRow,
} from './household-import-write';
import { readHouseholdSheet, type HouseholdSheet } from './household-sheet';
import { HouseholdsService } from './households.service';
import type { SheetFile } from './sheet-file';

export interface HouseholdImportOptions {
  /** The store of rows without a 门店 cell; for a store user, their own store when left out. */
  homeStoreId?: number | null;
}

export interface HouseholdImportResult {
  imported: number;
  /** In sheet order. */
  households: ImportedHousehold[];
  /** Rows left out because they are the template's example (姓名 starting with 示例). */
  exampleRows: number[];
}

/**
 * 困难户 bulk import from the county's roster (CSV or XLSX). Every row is checked first —
 * ID number, duplicates in the file and in the registry, category, size, village, phone, store —
 * and the file is refused whole with every problem, or imported whole in one transaction.
 * The row rules are in household-import-rows.ts, the chunked insert in household-import-write.ts.
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
    const placement = await ImportPlacement.load(this.dataSource.manager);
    const { problems, valid, rowsByIdHash } = checkSheetRows(sheet, {
      actor,
      placement,
      defaultStore,
      today: businessDate(new Date(), this.config.timeZone),
      idNumberHash: (idNumber) => this.households.idNumberHash(idNumber),
    });
    const registered = await registeredByIdHash(this.dataSource.manager, [...rowsByIdHash.keys()]);
    for (const [hash, existing] of registered) {
      for (const row of rowsByIdHash.get(hash) ?? []) {
        problems.push(alreadyRegistered(row, existing.cardNo));
      }
    }
    if (problems.length > 0) throw importRejection(sheet, problems);

    const prepared = this.prepare(actor, valid);
    const imported = await this.dataSource.transaction(async (em) => {
      const households = await insertHouseholds(this.dataSource, em, sheet, prepared);
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

  /** Each checked row as the household it becomes: ID number and phone sealed, no points yet. */
  private prepare(actor: Actor, valid: ValidRow[]): PreparedRow[] {
    const now = new Date();
    return valid.map((row) => ({
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
  }

  /** One entry for the whole import: counts per store, no personal data. */
  private auditRecord(
    rows: ValidRow[],
    placement: ImportPlacement,
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
}
