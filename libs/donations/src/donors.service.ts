import { AuditService } from '@charity/audit';
import {
  DuplicateError,
  escapeLike,
  isDuplicateKeyError,
  maskAddress,
  maskEmail,
  maskPhone,
  NotFoundError,
  pageOf,
  PHONE_PATTERN,
  skipOf,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertValidCreditCode, normalizeCreditCode } from './credit-code';
import { Donor, type DonorKind, type ReceiptPreference } from './donor.entity';
import { isPerson, maskDonorName } from './personal-data';

/** A mainland mobile (11 digits from 1) or a landline with its area code (`0571-87654321`). */
export const DONOR_PHONE_PATTERN = PHONE_PATTERN;

/** Kinds that may carry a 统一社会信用代码. */
export const CREDIT_CODE_KINDS: readonly DonorKind[] = ['company', 'organization'];

const KIND_LABELS: Record<DonorKind, string> = {
  individual: '个人',
  company: '企业',
  organization: '单位',
  union_member: '工会会员',
};

export interface NewDonor {
  kind: DonorKind;
  name: string;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  creditCode?: string | null;
  honorConsent?: boolean;
  receiptPreference?: ReceiptPreference;
}

export type DonorChanges = Partial<NewDonor>;

export interface DonorFilter {
  /** Part of the name, a whole phone number, or a phone's last four digits. */
  search?: string;
  kind?: DonorKind;
}

/** A donor as one actor may see it: a person's name and contact masked unless a county admin. */
export interface DonorView {
  id: number;
  kind: DonorKind;
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  creditCode: string | null;
  honorConsent: boolean;
  receiptPreference: ReceiptPreference;
  /** True when name and contact data are shown masked. */
  masked: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields whose change the audit entry lists (by name only: the values may be personal). */
const AUDITED_FIELDS = [
  'kind',
  'name',
  'phone',
  'email',
  'address',
  'creditCode',
  'honorConsent',
  'receiptPreference',
] as const;

/** 捐赠人: county-wide, like the catalogue; any store may take in goods from any donor. */
@Injectable()
export class DonorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewDonor): Promise<Donor> {
    return this.dataSource.transaction((em) => this.createIn(em, actor, input));
  }

  /**
   * Registers a donor inside the caller's transaction (intake registers a new donor inline), with
   * its audit entry, so both commit or roll back with the caller's work.
   */
  async createIn(em: EntityManager, actor: Actor, input: NewDonor): Promise<Donor> {
    const now = new Date();
    const donor = em.create(Donor, {
      kind: input.kind,
      name: input.name.trim(),
      phone: blankToNull(input.phone),
      email: blankToNull(input.email),
      address: blankToNull(input.address),
      creditCode: input.creditCode == null ? null : normalizeCreditCode(input.creditCode),
      honorConsent: input.honorConsent ?? false,
      receiptPreference: input.receiptPreference ?? 'per_donation',
      createdAt: now,
      updatedAt: now,
    });
    assertConsistent(donor);
    if (donor.creditCode !== null) await this.assertCreditCodeFree(em, donor.creditCode, null);
    await this.saveUnique(em, donor);
    await this.audit.record(em, actor, {
      action: 'donor.create',
      entityType: 'donor',
      entityId: donor.id,
      summary: `新建捐赠人“${maskDonorName(donor.kind, donor.name)}”（${KIND_LABELS[donor.kind]}${
        donor.honorConsent ? '，同意上荣誉榜' : ''
      }）`,
    });
    return donor;
  }

  async update(actor: Actor, id: number, requested: DonorChanges): Promise<Donor> {
    // a validated request object carries every declared field, the ones not sent as undefined
    const changes = Object.fromEntries(
      Object.entries(requested).filter(([, value]) => value !== undefined),
    ) as DonorChanges;
    return this.dataSource.transaction(async (em) => {
      const donor = await em.findOne(Donor, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!donor) throw new NotFoundError('donor', id);
      const next: Partial<Donor> = {};
      if (changes.kind !== undefined) next.kind = changes.kind;
      if (changes.name !== undefined) next.name = changes.name.trim();
      if (changes.phone !== undefined) next.phone = blankToNull(changes.phone);
      if (changes.email !== undefined) next.email = blankToNull(changes.email);
      if (changes.address !== undefined) next.address = blankToNull(changes.address);
      if (changes.creditCode !== undefined) {
        next.creditCode =
          changes.creditCode === null ? null : normalizeCreditCode(changes.creditCode);
      }
      if (changes.honorConsent !== undefined) next.honorConsent = changes.honorConsent;
      if (changes.receiptPreference !== undefined) {
        next.receiptPreference = changes.receiptPreference;
      }
      const changed = AUDITED_FIELDS.filter(
        (key) => next[key] !== undefined && next[key] !== donor[key],
      );
      Object.assign(donor, next, { updatedAt: new Date() });
      assertConsistent(donor);
      if (changed.includes('creditCode') && donor.creditCode !== null) {
        await this.assertCreditCodeFree(em, donor.creditCode, donor.id);
      }
      await this.saveUnique(em, donor);
      await this.audit.record(em, actor, {
        action: 'donor.update',
        entityType: 'donor',
        entityId: donor.id,
        summary: `修改捐赠人“${maskDonorName(donor.kind, donor.name)}”：${
          changed.join(', ') || '无变化'
        }`,
      });
      return donor;
    });
  }

  async get(id: number): Promise<Donor> {
    const donor = await this.dataSource.getRepository(Donor).findOneBy({ id });
    if (!donor) throw new NotFoundError('donor', id);
    return donor;
  }

  /** Newest first, so the donor a clerk has just registered is at the top. */
  async list(filter: DonorFilter, page: PageQuery): Promise<Page<Donor>> {
    const qb = this.dataSource.getRepository(Donor).createQueryBuilder('d');
    const term = filter.search?.trim();
    if (term) {
      const matches = ['d.name LIKE :like'];
      const digits = term.replace(/-/g, '');
      if (/^\d+$/.test(digits)) {
        // a phone typed with or without the area code's dash
        matches.push("REPLACE(d.phone, '-', '') = :digits");
        // the last four digits are what a caller reads out, and what a masked phone shows
        if (digits.length === 4) matches.push('d.phone LIKE :tail');
      }
      qb.andWhere(`(${matches.join(' OR ')})`, {
        like: `%${escapeLike(term)}%`,
        digits,
        tail: `%${digits}`,
      });
    }
    if (filter.kind !== undefined) qb.andWhere('d.kind = :kind', { kind: filter.kind });
    const [items, total] = await qb
      .orderBy('d.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /**
   * The donor as this actor may see it. A person's (individual or union member) name, phone,
   * email and address are masked for everyone but a county admin; companies and organisations
   * are shown as they are.
   */
  toView(donor: Donor, actor: Actor): DonorView {
    const masked = isPerson(donor.kind) && actor.role !== 'county_admin';
    const mask = (value: string | null, how: (text: string) => string): string | null =>
      masked && value !== null ? how(value) : value;
    return {
      id: donor.id,
      kind: donor.kind,
      name: masked ? maskDonorName(donor.kind, donor.name) : donor.name,
      phone: mask(donor.phone, maskPhone),
      email: mask(donor.email, maskEmail),
      address: mask(donor.address, maskAddress),
      creditCode: donor.creditCode,
      honorConsent: donor.honorConsent,
      receiptPreference: donor.receiptPreference,
      masked,
      createdAt: donor.createdAt,
      updatedAt: donor.updatedAt,
    };
  }

  /** Names the donor who already holds the code, so staff can pick that donor instead. */
  private async assertCreditCodeFree(
    em: EntityManager,
    creditCode: string,
    donorId: number | null,
  ): Promise<void> {
    // a plain read: a locking read of a missing key takes gap locks that deadlock concurrent
    // inserts; a holder this snapshot misses makes the insert fail, which saveUnique explains
    const holder = await em.findOneBy(Donor, { creditCode });
    if (holder && holder.id !== donorId) throw duplicateCreditCode(creditCode, holder);
  }

  /**
   * A unique-key race lost at insert. MySQL undoes only the failed statement, and the failed
   * insert already holds a shared lock on the holder's row: a shared locking read (spelt
   * LOCK IN SHARE MODE, which MariaDB and MySQL both accept, unlike TypeORM's FOR SHARE) sees
   * that row although it was committed after this transaction's snapshot, and cannot deadlock
   * with other losers of the same race as FOR UPDATE would.
   */
  private async saveUnique(em: EntityManager, donor: Donor): Promise<void> {
    try {
      await em.save(donor);
    } catch (error) {
      if (!isDuplicateKeyError(error) || donor.creditCode === null) throw error;
      const [holder] = await em.query<{ id: number; name: string }[]>(
        'SELECT id, name FROM donors WHERE credit_code = ? LOCK IN SHARE MODE',
        [donor.creditCode],
      );
      throw holder ? duplicateCreditCode(donor.creditCode, holder) : error;
    }
  }
}

function duplicateCreditCode(
  creditCode: string,
  holder: Pick<Donor, 'id' | 'name'>,
): DuplicateError {
  return new DuplicateError(
    `统一社会信用代码“${creditCode}”已登记为捐赠人“${holder.name}”（ID ${holder.id}）`,
    { field: 'creditCode', creditCode, donorId: holder.id, donorName: holder.name },
  );
}

/** Rules across fields that the request format alone cannot state. */
function assertConsistent(donor: Donor): void {
  if (donor.name.length === 0) throw fieldProblem('name', 'isNotEmpty', '不能为空');
  if (donor.phone !== null && !DONOR_PHONE_PATTERN.test(donor.phone)) {
    throw fieldProblem('phone', 'matches', '应为 11 位手机号或带区号的固定电话');
  }
  if (donor.creditCode !== null) {
    if (!CREDIT_CODE_KINDS.includes(donor.kind)) {
      throw fieldProblem(
        'creditCode',
        'onlyForOrganisations',
        `只有企业和单位才有统一社会信用代码，${KIND_LABELS[donor.kind]}不能填写`,
      );
    }
    assertValidCreditCode(donor.creditCode);
  }
}

function fieldProblem(field: string, constraint: string, text: string): ValidationFailedError {
  return new ValidationFailedError(`请求参数有误：${field} ${text}`, {
    fields: [{ field, constraints: [constraint], messages: [`${field} ${text}`] }],
  });
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
