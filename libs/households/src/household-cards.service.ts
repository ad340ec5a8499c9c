import {
  assertStoreAccess,
  maskName,
  NotFoundError,
  storeScopeOf,
  ValidationFailedError,
  type Actor,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import type { HouseholdCard } from '@charity/documents';
import { Region } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { NoCardsToPrintError } from './household-errors';
import { CATEGORY_LABELS, Household } from './household.entity';
import type { CardNameDisplay } from './points-policy.entity';
import { PointsLedger } from './points-ledger.service';

/** Most cards one request prints: 200 A4 sheets, a few seconds to render. */
export const MAX_CARDS_PER_REQUEST = 2000;

export interface HouseholdCardFilter {
  /** The households' home store; store roles are held to their own whatever is asked. */
  storeId?: number;
  /** A village, or a township (or the county) with every village under it. */
  regionId?: number;
  /** These households, in this order, whatever their status; otherwise every active one. */
  ids?: number[];
}

/**
 * What goes on 爱心超市积分卡: the household's card number, its head's name masked or in full as
 * the county's points policy says, where it lives and which store it belongs to. No ID number
 * or phone ever reaches a card. Store roles print their own store's households only.
 */
@Injectable()
export class HouseholdCardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly ledger: PointsLedger,
  ) {}

  async card(actor: Actor, id: number): Promise<HouseholdCard> {
    const household = await this.dataSource.getRepository(Household).findOne({
      where: { id },
      relations: { region: { parent: true }, homeStore: true },
    });
    if (!household) throw new NotFoundError('household', id);
    assertStoreAccess(actor, household.homeStoreId);
    const { cardNameDisplay } = await this.ledger.policy();
    return this.toCard(household, cardNameDisplay);
  }

  /**
   * Cards for a sheet, grouped by township and village so a village's cards come off the
   * printer together; an explicit id list keeps its own order.
   */
  async cards(actor: Actor, filter: HouseholdCardFilter): Promise<HouseholdCard[]> {
    if (filter.storeId !== undefined) assertStoreAccess(actor, filter.storeId);
    const storeId = filter.storeId ?? storeScopeOf(actor) ?? undefined;
    const regionIds =
      filter.regionId === undefined ? undefined : await this.regionAndBelow(filter.regionId);

    const households =
      filter.ids === undefined
        ? await this.activeHouseholds(storeId, regionIds)
        : (await this.listed(actor, filter.ids)).filter(
            (h) =>
              (storeId === undefined || h.homeStoreId === storeId) &&
              (regionIds === undefined || regionIds.includes(h.regionId)),
          );
    if (households.length === 0) {
      throw new NoCardsToPrintError(filter.ids === undefined ? 'filter' : 'ids', {
        storeId: storeId ?? null,
        regionId: filter.regionId ?? null,
      });
    }
    const { cardNameDisplay } = await this.ledger.policy();
    return households.map((h) => this.toCard(h, cardNameDisplay));
  }

  private async activeHouseholds(
    storeId: number | undefined,
    regionIds: number[] | undefined,
  ): Promise<Household[]> {
    const qb = this.dataSource
      .getRepository(Household)
      .createQueryBuilder('h')
      .leftJoinAndSelect('h.region', 'region')
      .leftJoinAndSelect('region.parent', 'parent')
      .leftJoinAndSelect('h.homeStore', 'homeStore')
      .where('h.status = :status', { status: 'active' });
    if (storeId !== undefined) qb.andWhere('h.homeStoreId = :storeId', { storeId });
    if (regionIds !== undefined) qb.andWhere('h.regionId IN (:...regionIds)', { regionIds });
    const matched = await qb.getCount();
    if (matched > MAX_CARDS_PER_REQUEST) {
      throw new ValidationFailedError(
        `一次最多打印 ${MAX_CARDS_PER_REQUEST} 张积分卡，符合条件的有 ${matched} 户，请按村（社区）或乡镇分批打印`,
        { limit: MAX_CARDS_PER_REQUEST, matched },
      );
    }
    return qb
      .orderBy('region.parentId', 'ASC')
      .addOrderBy('h.regionId', 'ASC')
      .addOrderBy('h.id', 'ASC')
      .getMany();
  }

  /** The listed households, each of which must exist and be the actor's to read. */
  private async listed(actor: Actor, ids: number[]): Promise<Household[]> {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_CARDS_PER_REQUEST) {
      throw new ValidationFailedError(`一次最多打印 ${MAX_CARDS_PER_REQUEST} 张积分卡`, {
        fields: [
          {
            field: 'ids',
            constraints: ['arrayMaxSize'],
            messages: [`ids must list at most ${MAX_CARDS_PER_REQUEST} households`],
          },
        ],
      });
    }
    const found = await this.dataSource.getRepository(Household).find({
      where: { id: In(unique) },
      relations: { region: { parent: true }, homeStore: true },
    });
    const byId = new Map(found.map((h) => [h.id, h]));
    const missing = unique.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new NotFoundError('household', missing.join(', '));
    for (const household of found) assertStoreAccess(actor, household.homeStoreId);
    return unique.map((id) => byId.get(id) as Household);
  }

  /** The region's id and those of every region under it (a county's townships and villages). */
  private async regionAndBelow(regionId: number): Promise<number[]> {
    const regions = this.dataSource.getRepository(Region);
    if (!(await regions.existsBy({ id: regionId }))) throw new NotFoundError('region', regionId);
    const ids = [regionId];
    let level = [regionId];
    while (level.length > 0) {
      const children = await regions.find({
        where: { parentId: In(level) },
        select: { id: true },
      });
      level = children.map((r) => r.id).filter((id) => !ids.includes(id));
      ids.push(...level);
    }
    return ids;
  }

  private toCard(household: Household, nameDisplay: CardNameDisplay): HouseholdCard {
    const region = household.region;
    const store = household.homeStore;
    if (!region || !store) {
      throw new Error(`household ${household.id} was loaded without its region and store`);
    }
    const village = region.level === 'village' ? region : null;
    const township = village
      ? (region.parent ?? null)
      : region.level === 'township'
        ? region
        : null;
    return {
      unionName: this.config.unionName,
      cardNo: household.cardNo,
      holderName: printedName(household.headName, nameDisplay),
      villageName: village?.name ?? null,
      townshipName: township?.name ?? null,
      storeName: store.name,
      categoryLabel: CATEGORY_LABELS[household.category],
    };
  }
}

function printedName(headName: string, display: CardNameDisplay): string {
  switch (display) {
    case 'full':
      return headName;
    case 'masked':
      return maskName(headName);
  }
}
