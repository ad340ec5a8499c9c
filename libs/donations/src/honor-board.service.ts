import { businessDate, NotFoundError } from '@charity/common';
import { AppConfig } from '@charity/config';
import { Region, Store, type RegionLevel } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Donation } from './donation.entity';
import { Donor, type DonorKind } from './donor.entity';
import { isPerson, maskDonorName } from './personal-data';
import { comparePinyin, pinyinKey } from './pinyin-order';

/** How many places the ranked part of the board has (more when donors tie for the last one). */
export const HONOR_BOARD_PLACES = 50;

export interface HonorBoardQuery {
  /** Calendar year of the donations' received date; the current local year when left out. */
  year?: number;
  /** Only donations taken in by stores in this county, township or village. */
  regionId?: number;
}

export interface HonorBoardRankedEntry {
  /** 1-based; donors with equal totals share a rank and the next rank is skipped (1, 2, 2, 4). */
  rank: number;
  /** Masked for individuals and union members. */
  name: string;
  kind: DonorKind;
  totalValueFen: number;
  /** How many (not voided) donations make up the total. */
  donations: number;
}

export interface HonorBoardOtherEntry {
  name: string;
  kind: DonorKind;
}

/** 荣誉榜: what anyone may see, without contact data, of donors who agreed to be shown. */
export interface HonorBoard {
  year: number;
  region: { id: number; name: string; level: RegionLevel } | null;
  ranked: HonorBoardRankedEntry[];
  /** Every other consenting donor with a donation that year, in pinyin order. */
  others: HonorBoardOtherEntry[];
}

interface DonorTotal {
  donorId: number;
  name: string;
  kind: DonorKind;
  totalValueFen: number;
  donations: number;
  /** Pinyin of the real name: a masked name alone would order all 张 together at random. */
  key: string;
}

@Injectable()
export class HonorBoardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async board(query: HonorBoardQuery): Promise<HonorBoard> {
    const year = query.year ?? Number(businessDate(new Date(), this.config.timeZone).slice(0, 4));
    const region =
      query.regionId === undefined
        ? null
        : await this.dataSource.getRepository(Region).findOneBy({ id: query.regionId });
    if (query.regionId !== undefined && !region) throw new NotFoundError('region', query.regionId);

    const totals = await this.totals(year, region?.id ?? null);
    totals.sort(
      (a, b) => b.totalValueFen - a.totalValueFen || comparePinyin(a, b) || a.donorId - b.donorId,
    );
    const ranked: HonorBoardRankedEntry[] = [];
    const rest: DonorTotal[] = [];
    totals.forEach((entry, index) => {
      const previous = ranked[ranked.length - 1];
      const rank =
        previous !== undefined && previous.totalValueFen === entry.totalValueFen
          ? previous.rank
          : index + 1;
      // a donor tied with the last place keeps that place rather than fall off the board
      if (rank <= HONOR_BOARD_PLACES) {
        ranked.push({
          rank,
          name: maskDonorName(entry.kind, entry.name),
          kind: entry.kind,
          totalValueFen: entry.totalValueFen,
          donations: entry.donations,
        });
      } else {
        rest.push(entry);
      }
    });
    const others = rest
      .sort((a, b) => comparePinyin(a, b) || a.donorId - b.donorId)
      .map((entry) => ({ name: maskDonorName(entry.kind, entry.name), kind: entry.kind }));
    return {
      year,
      region: region && { id: region.id, name: region.name, level: region.level },
      ranked,
      others,
    };
  }

  /** Per consenting donor: the year's active donations, at stores in the region if one is given. */
  private async totals(year: number, regionId: number | null): Promise<DonorTotal[]> {
    const qb = this.dataSource
      .getRepository(Donation)
      .createQueryBuilder('d')
      .innerJoin(Donor, 'o', 'o.id = d.donorId')
      .select('o.id', 'donorId')
      .addSelect('o.name', 'name')
      .addSelect('o.kind', 'kind')
      .addSelect('SUM(d.totalValueFen)', 'totalValueFen')
      .addSelect('COUNT(*)', 'donations')
      .where('o.honorConsent = :consent', { consent: true })
      .andWhere('d.status = :status', { status: 'active' })
      .andWhere('d.receivedDate BETWEEN :from AND :to', {
        from: `${year}-01-01`,
        to: `${year}-12-31`,
      })
      .groupBy('o.id')
      .addGroupBy('o.name')
      .addGroupBy('o.kind');
    if (regionId !== null) {
      // a county's stores sit in its townships and villages, a township's in it and its villages
      qb.innerJoin(Store, 's', 's.id = d.storeId')
        .innerJoin(Region, 'r', 'r.id = s.regionId')
        .andWhere(
          '(r.id = :regionId OR r.parentId = :regionId OR r.parentId IN (SELECT c.id FROM regions c WHERE c.parent_id = :regionId))',
          { regionId },
        );
    }
    const rows = await qb.getRawMany<{
      donorId: number | string;
      name: string;
      kind: DonorKind;
      totalValueFen: number | string;
      donations: number | string;
    }>();
    return rows.map((row) => ({
      donorId: Number(row.donorId),
      name: row.name,
      kind: row.kind,
      totalValueFen: Number(row.totalValueFen),
      donations: Number(row.donations),
      key: pinyinKey(row.name, isPerson(row.kind)),
    }));
  }
}
