import { businessDate, NotFoundError, storeScopeOf, type Actor } from '@charity/common';
import { AppConfig } from '@charity/config';
import { renderDonorStatement } from '@charity/documents';
import { Store } from '@charity/organisation';
import { saveRenderedDocument } from '@charity/receipts';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Donation } from './donation.entity';
import { Donor, DONOR_KIND_LABELS } from './donor.entity';

export const DONOR_STATEMENT = 'donor_statement';

/** 年度捐赠证明: one donor's receipts of a year with their totals (voided ones listed, not counted). */
@Injectable()
export class DonorStatementsService {
  private readonly logger = new Logger(DonorStatementsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Store staff get the receipts of their own store only; county roles get all. */
  async statement(actor: Actor, donorId: number, year: number): Promise<Buffer> {
    return this.render(donorId, year, storeScopeOf(actor));
  }

  /**
   * The yearly batch: renders and stores the statement of every donor who asked for annual
   * receipts and gave that year. Re-running replaces each stored statement, never duplicates it.
   */
  async renderAnnual(year: number): Promise<{ year: number; statements: number }> {
    const rows = await this.dataSource.query<{ donorId: number }[]>(
      `SELECT DISTINCT d.donor_id AS donorId
         FROM donations d JOIN donors o ON o.id = d.donor_id
        WHERE o.receipt_preference = 'annual' AND d.received_date BETWEEN ? AND ?
        ORDER BY d.donor_id`,
      [`${year}-01-01`, `${year}-12-31`],
    );
    for (const { donorId } of rows) {
      const pdf = await this.render(Number(donorId), year, null);
      await saveRenderedDocument(
        this.dataSource.manager,
        DONOR_STATEMENT,
        `${donorId}-${year}`,
        String(year),
        pdf,
      );
    }
    this.logger.log(`rendered ${rows.length} annual donor statements for ${year}`);
    return { year, statements: rows.length };
  }

  private async render(donorId: number, year: number, storeId: number | null): Promise<Buffer> {
    const donor = await this.dataSource.getRepository(Donor).findOneBy({ id: donorId });
    if (!donor) throw new NotFoundError('donor', donorId);
    const qb = this.dataSource
      .getRepository(Donation)
      .createQueryBuilder('d')
      .where('d.donorId = :donorId AND d.receivedDate BETWEEN :first AND :last', {
        donorId,
        first: `${year}-01-01`,
        last: `${year}-12-31`,
      });
    if (storeId !== null) qb.andWhere('d.storeId = :storeId', { storeId });
    const donations = await qb.orderBy('d.receivedDate', 'ASC').addOrderBy('d.id', 'ASC').getMany();
    const storeIds = [...new Set(donations.map((d) => d.storeId))];
    const stores = new Map(
      (storeIds.length > 0
        ? await this.dataSource.getRepository(Store).findBy({ id: In(storeIds) })
        : []
      ).map((store) => [store.id, store.name]),
    );
    return renderDonorStatement({
      unionName: this.config.unionName,
      donorName: donor.name,
      donorKindLabel: DONOR_KIND_LABELS[donor.kind],
      year,
      issueDate: businessDate(new Date(), this.config.timeZone),
      receipts: donations.map((donation) => ({
        receiptNo: donation.receiptNo,
        receivedDate: donation.receivedDate,
        storeName: stores.get(donation.storeId) ?? '',
        goodsValueFen: donation.goodsValueFen,
        cashFen: donation.cashFen,
        totalValueFen: donation.totalValueFen,
        voided: donation.status === 'voided',
      })),
    });
  }
}
