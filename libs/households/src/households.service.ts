import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  businessDate,
  canAccessStore,
  escapeLike,
  ForbiddenError,
  isDuplicateKeyError,
  maskIdNumber,
  maskPhone,
  NotFoundError,
  pageOf,
  PHONE_PATTERN,
  skipOf,
  storeScopeOf,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import { Region, Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isValidCardNumber, newCardNumber, normalizeCardNumber } from './card-number';
import { CardNotFoundError, DuplicateHouseholdError } from './household-errors';
import { outsideStoreAreaMessage, storeServesRegion } from './household-placement';
import { cardHolderView, type CardHolderView } from './card-holder-view';
import { Household, type HouseholdCategory, type HouseholdStatus } from './household.entity';
import { idNumberProblem, normalizeIdNumber } from './id-number';
import { PersonalDataCipher } from './personal-data-cipher';

/** A mainland mobile (11 digits from 1) or a landline with its area code (`0571-87654321`). */
export const HOUSEHOLD_PHONE_PATTERN = PHONE_PATTERN;

/** Most people one household registers; beyond it is a typo. */
export const MAX_MEMBER_COUNT = 30;

export interface NewHousehold {
  headName: string;
  idNumber: string;
  category: HouseholdCategory;
  memberCount: number;
  regionId: number;
  homeStoreId: number;
  phone?: string | null;
  address?: string | null;
}

export interface HouseholdChanges extends Partial<NewHousehold> {
  status?: HouseholdStatus;
  /** With status `exited`: the local date; defaults to today. */
  exitedOn?: string | null;
  statusReason?: string | null;
}

export interface HouseholdFilter {
  /** A name (or part), a card number, a whole ID number or phone, or the last four of either. */
  search?: string;
  category?: HouseholdCategory;
  status?: HouseholdStatus;
  regionId?: number;
  homeStoreId?: number;
}

/** A household as every response shows it: ID number and phone masked. */
export interface HouseholdView {
  id: number;
  cardNo: string;
  headName: string;
  idNumberMasked: string;
  category: HouseholdCategory;
  memberCount: number;
  regionId: number;
  regionName: string | null;
  homeStoreId: number;
  homeStoreName: string | null;
  phoneMasked: string | null;
  address: string | null;
  status: HouseholdStatus;
  exitedOn: string | null;
  statusReason: string | null;
  balance: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The encrypted, hashed and masked columns of a household's personal data. */
export interface SealedPersonalData {
  idNumberCipher: string;
  idNumberHash: string;
  idNumberMasked: string;
  idNumberLast4: string;
  phoneCipher: string | null;
  phoneHash: string | null;
  phoneMasked: string | null;
  phoneLast4: string | null;
}

const CARD_NUMBER_ATTEMPTS = 5;

/**
 * 困难户 registry. Store roles register and edit households of their own store and list only
 * those; a card is looked up county-wide, because a household may shop at any store.
 */
@Injectable()
export class HouseholdsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewHousehold): Promise<Household> {
    assertStoreAccess(actor, input.homeStoreId);
    const idNumber = this.validIdNumber(input.idNumber);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(async (em) => {
          const placement = await this.assertPlacement(em, input.regionId, input.homeStoreId);
          await this.assertManagerPlacement(em, actor, placement);
          const sealed = this.seal(idNumber, input.phone ?? null);
          await this.assertNotRegistered(em, sealed.idNumberHash);
          const now = new Date();
          const household = em.create(Household, {
            cardNo: newCardNumber(),
            headName: input.headName,
            ...sealed,
            category: input.category,
            memberCount: input.memberCount,
            regionId: input.regionId,
            homeStoreId: input.homeStoreId,
            address: input.address ?? null,
            status: 'active',
            exitedOn: null,
            statusReason: null,
            balance: 0,
            createdBy: actor.userId === 0 ? null : actor.userId,
            createdAt: now,
            updatedAt: now,
          });
          await em.insert(Household, household);
          await this.audit.record(em, actor, {
            action: 'household.create',
            entityType: 'household',
            entityId: household.id,
            summary: `登记困难户 ${household.cardNo}（身份证 ${sealed.idNumberMasked}）`,
            storeId: household.homeStoreId,
          });
          return household;
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // two registrations of one ID number raced: the loser names the winner
        const existing = await this.byIdNumberHash(this.cipher.lookupHash('id', idNumber));
        if (existing) throw new DuplicateHouseholdError(existing);
        // otherwise a card number collided: draw again
        if (attempt >= CARD_NUMBER_ATTEMPTS) throw error;
      }
    }
  }

  async update(actor: Actor, id: number, changes: HouseholdChanges): Promise<Household> {
    return this.dataSource.transaction(async (em) => {
      const household = await em.findOne(Household, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!household) throw new NotFoundError('household', id);
      assertStoreAccess(actor, household.homeStoreId);
      if (changes.homeStoreId !== undefined && changes.homeStoreId !== household.homeStoreId) {
        // moving a household between stores is the county's decision
        if (actor.role !== 'county_admin') {
          throw new ForbiddenError('只有县级管理员可以变更困难户的所属门店', {
            homeStoreId: changes.homeStoreId,
          });
        }
      }
      const changed: string[] = [];
      if (changes.regionId !== undefined || changes.homeStoreId !== undefined) {
        const placement = await this.assertPlacement(
          em,
          changes.regionId ?? household.regionId,
          changes.homeStoreId ?? household.homeStoreId,
        );
        // a household the county placed elsewhere keeps its place through a manager's edits
        if (changes.regionId !== undefined && changes.regionId !== household.regionId) {
          await this.assertManagerPlacement(em, actor, placement);
        }
      }
      if (changes.idNumber !== undefined) {
        const idNumber = this.validIdNumber(changes.idNumber);
        const hash = this.cipher.lookupHash('id', idNumber);
        if (hash !== household.idNumberHash) {
          await this.assertNotRegistered(em, hash);
          const sealed = this.seal(idNumber, null);
          household.idNumberCipher = sealed.idNumberCipher;
          household.idNumberHash = sealed.idNumberHash;
          household.idNumberMasked = sealed.idNumberMasked;
          household.idNumberLast4 = sealed.idNumberLast4;
          changed.push('idNumber');
        }
      }
      if (changes.phone !== undefined) {
        Object.assign(household, this.sealPhone(changes.phone));
        changed.push('phone');
      }
      for (const field of [
        'headName',
        'category',
        'memberCount',
        'regionId',
        'homeStoreId',
        'address',
      ] as const) {
        const value = changes[field];
        if (value !== undefined && value !== household[field]) {
          (household as unknown as Record<string, unknown>)[field] = value;
          changed.push(field);
        }
      }
      if (changes.status !== undefined && changes.status !== household.status) {
        household.status = changes.status;
        household.exitedOn =
          changes.status === 'exited'
            ? (changes.exitedOn ?? businessDate(new Date(), this.config.timeZone))
            : null;
        changed.push('status');
      } else if (changes.exitedOn !== undefined && household.status === 'exited') {
        household.exitedOn = changes.exitedOn ?? household.exitedOn;
        changed.push('exitedOn');
      }
      if (changes.statusReason !== undefined) {
        household.statusReason = changes.statusReason;
        changed.push('statusReason');
      }
      if (changed.length === 0) return household;
      household.updatedAt = new Date();
      await em.save(Household, household);
      await this.audit.record(em, actor, {
        action: 'household.update',
        entityType: 'household',
        entityId: id,
        // field names only: the values may be personal
        summary: `修改困难户 ${household.cardNo}：${changed.join(', ')}`,
        storeId: household.homeStoreId,
      });
      return household;
    });
  }

  async get(actor: Actor, id: number): Promise<Household> {
    const household = await this.dataSource.getRepository(Household).findOne({
      where: { id },
      relations: { region: true, homeStore: true },
    });
    if (!household) throw new NotFoundError('household', id);
    assertStoreAccess(actor, household.homeStoreId);
    return household;
  }

  /** The till's lookup, county-wide; accepts the number as typed (lower case, spaces). */
  async findByCard(cardNo: string): Promise<Household> {
    const card = normalizeCardNumber(cardNo);
    const household = isValidCardNumber(card)
      ? await this.dataSource.getRepository(Household).findOne({
          where: { cardNo: card },
          relations: { region: true, homeStore: true },
        })
      : null;
    if (!household) throw new CardNotFoundError(card);
    return household;
  }

  /**
   * A scanned card as the actor may see it: in full for county roles and the household's own
   * store, only what a till needs for any other store (a household may shop at any store, but
   * a card number must not open another store's registry).
   */
  async lookupCard(actor: Actor, cardNo: string): Promise<HouseholdView | CardHolderView> {
    const household = await this.findByCard(cardNo);
    if (canAccessStore(actor, household.homeStoreId)) return this.toView(household);
    return cardHolderView(household);
  }

  async list(actor: Actor, filter: HouseholdFilter, page: PageQuery): Promise<Page<Household>> {
    const qb = this.dataSource
      .getRepository(Household)
      .createQueryBuilder('h')
      .leftJoinAndSelect('h.region', 'region')
      .leftJoinAndSelect('h.homeStore', 'homeStore');
    const scope = storeScopeOf(actor);
    if (scope !== null) qb.andWhere('h.homeStoreId = :scope', { scope });
    if (filter.homeStoreId !== undefined) qb.andWhere('h.homeStoreId = :homeStoreId', filter);
    if (filter.regionId !== undefined) {
      // a township's households include its villages'
      qb.andWhere('(h.regionId = :regionId OR region.parentId = :regionId)', filter);
    }
    if (filter.category !== undefined) qb.andWhere('h.category = :category', filter);
    if (filter.status !== undefined) qb.andWhere('h.status = :status', filter);
    const search = filter.search?.trim();
    if (search) {
      const upper = search.toUpperCase();
      if (isValidCardNumber(upper)) {
        qb.andWhere('h.cardNo = :card', { card: upper });
      } else if (/^\d{17}[\dX]$/.test(upper)) {
        qb.andWhere('h.idNumberHash = :hash', { hash: this.cipher.lookupHash('id', upper) });
      } else if (HOUSEHOLD_PHONE_PATTERN.test(search)) {
        qb.andWhere('h.phoneHash = :hash', {
          hash: this.cipher.lookupHash('phone', normalizePhone(search)),
        });
      } else if (/^[\dX]{4}$/.test(upper)) {
        qb.andWhere('(h.idNumberLast4 = :last4 OR h.phoneLast4 = :last4)', { last4: upper });
      } else {
        qb.andWhere('(h.headName LIKE :name OR h.cardNo LIKE :name)', {
          name: `%${escapeLike(search)}%`,
        });
      }
    }
    const [items, total] = await qb
      .orderBy('h.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** The full ID number and phone, for a county admin only, written to the audit log. */
  async reveal(
    actor: Actor,
    id: number,
  ): Promise<{ id: number; idNumber: string; phone: string | null }> {
    if (actor.role !== 'county_admin') {
      throw new ForbiddenError('只有县级管理员可以查看完整身份证号');
    }
    return this.dataSource.transaction(async (em) => {
      const household = await em.findOneBy(Household, { id });
      if (!household) throw new NotFoundError('household', id);
      await this.audit.record(em, actor, {
        action: 'household.reveal',
        entityType: 'household',
        entityId: id,
        summary: `查看困难户 ${household.cardNo} 的完整身份证号（${household.idNumberMasked}）`,
        storeId: household.homeStoreId,
      });
      return {
        id,
        idNumber: this.cipher.decrypt(household.idNumberCipher),
        phone: household.phoneCipher ? this.cipher.decrypt(household.phoneCipher) : null,
      };
    });
  }

  toView(household: Household): HouseholdView {
    return {
      id: household.id,
      cardNo: household.cardNo,
      headName: household.headName,
      idNumberMasked: household.idNumberMasked,
      category: household.category,
      memberCount: household.memberCount,
      regionId: household.regionId,
      regionName: household.region?.name ?? null,
      homeStoreId: household.homeStoreId,
      homeStoreName: household.homeStore?.name ?? null,
      phoneMasked: household.phoneMasked,
      address: household.address,
      status: household.status,
      exitedOn: household.exitedOn,
      statusReason: household.statusReason,
      balance: household.balance,
      createdAt: household.createdAt,
      updatedAt: household.updatedAt,
    };
  }

  /** Encrypts, hashes and masks an already validated ID number and phone (import reuses it). */
  seal(idNumber: string, phone: string | null): SealedPersonalData {
    const id = normalizeIdNumber(idNumber);
    return {
      idNumberCipher: this.cipher.encrypt(id),
      idNumberHash: this.cipher.lookupHash('id', id),
      idNumberMasked: maskIdNumber(id),
      idNumberLast4: id.slice(-4),
      ...this.sealPhone(phone),
    };
  }

  idNumberHash(idNumber: string): string {
    return this.cipher.lookupHash('id', normalizeIdNumber(idNumber));
  }

  private sealPhone(
    phone: string | null,
  ): Pick<SealedPersonalData, 'phoneCipher' | 'phoneHash' | 'phoneMasked' | 'phoneLast4'> {
    if (phone === null || phone.trim() === '') {
      return { phoneCipher: null, phoneHash: null, phoneMasked: null, phoneLast4: null };
    }
    const value = normalizePhone(phone);
    return {
      phoneCipher: this.cipher.encrypt(value),
      phoneHash: this.cipher.lookupHash('phone', value),
      phoneMasked: maskPhone(value),
      phoneLast4: value.replace(/\D/g, '').slice(-4),
    };
  }

  private validIdNumber(value: string): string {
    const problem = idNumberProblem(value, businessDate(new Date(), this.config.timeZone));
    if (problem) {
      throw new ValidationFailedError(problem, {
        fields: [{ field: 'idNumber', constraints: ['idNumber'], messages: [problem] }],
      });
    }
    return normalizeIdNumber(value);
  }

  private async assertNotRegistered(em: EntityManager, hash: string): Promise<void> {
    const existing = await em.findOne(Household, {
      where: { idNumberHash: hash },
      select: { id: true, cardNo: true },
    });
    if (existing) throw new DuplicateHouseholdError(existing);
  }

  private async byIdNumberHash(hash: string): Promise<Household | null> {
    return this.dataSource.getRepository(Household).findOne({
      where: { idNumberHash: hash },
      select: { id: true, cardNo: true },
    });
  }

  /** A household lives in a village or township and belongs to an existing store. */
  private async assertPlacement(
    em: EntityManager,
    regionId: number,
    storeId: number,
  ): Promise<{ region: Region; store: Store }> {
    const region = await em.findOneBy(Region, { id: regionId });
    if (!region) throw new NotFoundError('region', regionId);
    if (region.level === 'county') {
      throw new ValidationFailedError('困难户所在地应为村（社区）或乡镇，不能是县', {
        fields: [
          {
            field: 'regionId',
            constraints: ['level'],
            messages: ['regionId must be a village or township'],
          },
        ],
      });
    }
    const store = await em.findOneBy(Store, { id: storeId });
    if (!store) throw new NotFoundError('store', storeId);
    return { region, store };
  }

  /** A store manager places households only where their store serves (storeServesRegion). */
  private async assertManagerPlacement(
    em: EntityManager,
    actor: Actor,
    { region, store }: { region: Region; store: Store },
  ): Promise<void> {
    if (actor.role !== 'store_manager') return;
    const storeRegion = await em.findOneByOrFail(Region, { id: store.regionId });
    if (!storeServesRegion(storeRegion, region)) {
      throw new ForbiddenError(outsideStoreAreaMessage(store.name, storeRegion, region), {
        regionId: region.id,
        storeId: store.id,
      });
    }
  }
}

/** Phones are kept as digits and the landline dash (`0571-87654321`), without spaces. */
export function normalizePhone(phone: string): string {
  return phone.replace(/\s+/g, '');
}
