import { DomainError } from '@charity/common';
import { STATUS_LABELS, type HouseholdStatus } from './household.entity';

export class DuplicateHouseholdError extends DomainError {
  constructor(existing: { id: number; cardNo: string }) {
    super('DUPLICATE_HOUSEHOLD', `该身份证号已登记（卡号 ${existing.cardNo}）`, {
      householdId: existing.id,
      cardNo: existing.cardNo,
    });
  }
}

export class CardNotFoundError extends DomainError {
  constructor(cardNo: string) {
    super('CARD_NOT_FOUND', `卡号 ${cardNo} 不存在，请确认是否为本县的爱心超市卡`, { cardNo });
  }
}

export class HouseholdInactiveError extends DomainError {
  constructor(household: { id: number; cardNo: string; status: HouseholdStatus }) {
    super(
      'HOUSEHOLD_INACTIVE',
      `该户状态为“${STATUS_LABELS[household.status]}”，不能获得或使用积分`,
      { householdId: household.id, cardNo: household.cardNo, status: household.status },
    );
  }
}

export class InsufficientPointsError extends DomainError {
  constructor(householdId: number, balance: number, needed: number) {
    super('INSUFFICIENT_POINTS', `积分不足：可用 ${balance} 分，需要 ${needed} 分`, {
      householdId,
      balance,
      needed,
    });
  }
}

export class AwardCapReachedError extends DomainError {
  constructor(
    rule: { code: string; name: string; monthlyCap: number },
    month: string,
    used: number,
    /** Of `used`, lines of batches still on 公示. */
    onNotice = 0,
  ) {
    super(
      'AWARD_CAP_REACHED',
      `“${rule.name}”每户每月最多 ${rule.monthlyCap} 次，该户 ${month} 已有 ${used} 次${onNotice > 0 ? `（其中公示中 ${onNotice} 次）` : ''}`,
      { ruleCode: rule.code, month, used, onNotice, allowed: rule.monthlyCap },
    );
  }
}

export class EntryNotReversibleError extends DomainError {
  constructor(entryId: string, reason: string) {
    super('ENTRY_NOT_REVERSIBLE', reason, { entryId });
  }
}

export class EntryAlreadyReversedError extends DomainError {
  constructor(entryId: string, reversalId: string) {
    super('ENTRY_ALREADY_REVERSED', `该积分记录已冲正（冲正记录 ${reversalId}）`, {
      entryId,
      reversalId,
    });
  }
}

export class RuleInactiveError extends DomainError {
  constructor(rule: { code: string; name: string }) {
    super('RULE_INACTIVE', `评定规则“${rule.name}”已停用`, { ruleCode: rule.code });
  }
}

/** A whole upload refused: every problem with its row and column, nothing applied. */
export interface RowProblem {
  /** 1-based data row as the user sees it in the sheet (the header is row 1, data from row 2). */
  row: number;
  column: string;
  message: string;
}

export class ImportRejectedError extends DomainError {
  constructor(problems: RowProblem[], rows: number) {
    super(
      'IMPORT_REJECTED',
      `导入文件有 ${problems.length} 处问题，未导入任何数据，请修改后重新上传`,
      { rows, problems },
    );
  }
}

/** An upload that is not a sheet this system reads (a .xls, a PDF, an unknown text encoding). */
export class UnsupportedFileError extends DomainError {
  constructor(message: string, details: { fileName?: string | null; reason: string }) {
    super('UNSUPPORTED_FILE', message, details);
  }
}

/**
 * A workbook whose zip would inflate past what a roster needs: more than the cap declared in its
 * central directory, too many entries, or an entry inflating past the size it declares.
 */
export class SheetTooLargeError extends DomainError {
  constructor(
    message: string,
    details: { reason: 'uncompressed_size' | 'entry_count' | 'size_mismatch' } & Record<
      string,
      unknown
    >,
  ) {
    super('PAYLOAD_TOO_LARGE', message, details);
  }
}

/** A sheet with more data rows than one upload takes; reading stopped at the first one past. */
export class RowLimitExceededError extends DomainError {
  constructor(message: string, rowLimit: number) {
    super('IMPORT_REJECTED', message, { rowLimit });
  }
}

/** A readable sheet with nothing to import: empty, no header, no rows, malformed CSV. */
export class InvalidSheetError extends DomainError {
  constructor(
    message: string,
    details: { reason: 'empty' | 'no_header' | 'no_rows' | 'malformed' } & Record<string, unknown>,
  ) {
    super('INVALID_SHEET', message, details);
  }
}

export class BatchRejectedError extends DomainError {
  constructor(problems: RowProblem[], rows: number) {
    super(
      'BATCH_REJECTED',
      `评定表有 ${problems.length} 处问题，未记入任何积分，请修改后重新提交`,
      { rows, problems },
    );
  }
}

export class BatchNotPendingError extends DomainError {
  constructor(batch: { id: number; status: string }) {
    super(
      'BATCH_NOT_PENDING',
      `该评定批次已${batch.status === 'posted' ? '生效' : '撤回'}，不能再更改`,
      {
        batchId: batch.id,
        status: batch.status,
      },
    );
  }
}

/** A card sheet with no household on it: none active matched, or none of those picked is in scope. */
export class NoCardsToPrintError extends DomainError {
  constructor(
    picked: 'filter' | 'ids',
    scope: { storeId: number | null; regionId: number | null },
  ) {
    super(
      'NOT_FOUND',
      picked === 'filter'
        ? '没有符合条件的状态正常的困难户，未生成积分卡'
        : '所选困难户都不在指定的门店或区域内，未生成积分卡',
      scope,
    );
  }
}
