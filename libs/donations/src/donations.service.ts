import { User } from '@charity/accounts';
import { AuditService } from '@charity/audit';
import {
  assertMonthOpen,
  assertStoreAccess,
  businessDate,
  hashRequest,
  IdempotencyKeyReusedError,
  isDuplicateKeyError,
  NotFoundError,
  pageOf,
  skipOf,
  storeScopeOf,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import {
  Product,
  ProductInactiveError,
  ProductsService,
  StockLot,
  StockService,
  UnknownBarcodeError,
  type NewProduct,
} from '@charity/inventory';
import { Store, StoreInactiveError } from '@charity/organisation';
import { nextReceiptNumber } from '@charity/receipts';
import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  DonationGoodsConsumedError,
  DonationVoidedError,
  type ConsumedLine,
} from './donation-errors';
import { DonationLine } from './donation-line.entity';
import { Donation, type DonationStatus } from './donation.entity';
import { Donor, type DonorKind } from './donor.entity';
import { DonorsService, type NewDonor } from './donors.service';
import { isPerson, maskDonorName } from './personal-data';
import { receiptPagePath } from './receipt-page-path';

export const RECEIPT_SERIES = 'JZ';

/** ¥100亿: far above any real donation. */
export const MAX_DONATION_FEN = 1_000_000_000_000;

export interface IntakeLine {
  productId?: number;
  barcode?: string;
  product?: NewProduct;
  quantity: number;
  /** Scan once, "×20". */
  multiplier?: number;
  /** Value of one unit; defaults to the product's reference value. */
  unitValueFen?: number;
  expiryDate?: string | null;
}

export interface NewDonation {
  storeId: number;
  donorId?: number;
  donor?: NewDonor;
  /** Local date the goods arrived; defaults to today. */
  receivedDate?: string;
  lines?: IntakeLine[];
  cashFen?: number;
  note?: string | null;
}

export interface DonationFilter {
  storeId?: number;
  donorId?: number;
  /** `YYYY-MM`, by received date. */
  month?: string;
  donorKind?: DonorKind;
  status?: DonationStatus;
}

export interface DonationView {
  id: number;
  receiptNo: string;
  storeId: number;
  donorId: number;
  receivedDate: string;
  status: DonationStatus;
  lines: {
    lineNo: number;
    productId: number;
    name: string;
    unit: string;
    quantity: number;
    unitValueFen: number;
    amountFen: number;
    expiryDate: string | null;
    lotId: number;
  }[];
  goodsValueFen: number;
  cashFen: number;
  totalValueFen: number;
  note: string | null;
  voidReason: string | null;
  voidedAt: Date | null;
  createdBy: number;
  createdAt: Date;
  receiptUrl: string;
  verifyUrl: string;
}

/** A donation in a list, with its donor named (a person's name masked as DonorsService does). */
export interface DonationListItem extends DonationView {
  donorName: string;
  donorKind: DonorKind;
}

export interface IntakeResult {
  donation: DonationView;
  /** False when an Idempotency-Key replay returned the first result. */
  created: boolean;
}

/**
 * 捐赠登记: goods enter stock as lots and the receipt number is taken in one transaction; a
 * retried request with the same Idempotency-Key returns the first donation.
 */
@Injectable()
export class DonationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly stock: StockService,
    private readonly products: ProductsService,
    private readonly donors: DonorsService,
    private readonly audit: AuditService,
  ) {}

  async intake(actor: Actor, input: NewDonation, idempotencyKey?: string): Promise<IntakeResult> {
    assertStoreAccess(actor, input.storeId);
    this.assertShape(input);
    const requestHash = idempotencyKey ? hashRequest(input) : null;
    if (idempotencyKey) {
      const earlier = await this.replay(input.storeId, idempotencyKey, requestHash);
      if (earlier) return { donation: earlier, created: false };
    }
    let id: number;
    try {
      id = await this.dataSource.transaction((em) =>
        this.intakeIn(em, actor, input, idempotencyKey ?? null, requestHash),
      );
    } catch (error) {
      // the same key raced in from a second request: answer with the one that won
      if (idempotencyKey && isDuplicateKeyError(error)) {
        const earlier = await this.replay(input.storeId, idempotencyKey, requestHash);
        if (earlier) return { donation: earlier, created: false };
      }
      throw error;
    }
    return { donation: await this.view(this.dataSource.manager, id), created: true };
  }

  async get(actor: Actor, id: number): Promise<DonationView> {
    const donation = await this.dataSource.getRepository(Donation).findOneBy({ id });
    if (!donation) throw new NotFoundError('donation', id);
    assertStoreAccess(actor, donation.storeId);
    return this.view(this.dataSource.manager, id);
  }

  async list(
    actor: Actor,
    filter: DonationFilter,
    page: PageQuery,
  ): Promise<Page<DonationListItem>> {
    const qb = this.dataSource
      .getRepository(Donation)
      .createQueryBuilder('d')
      .innerJoin(Donor, 'donor', 'donor.id = d.donorId');
    const scope = storeScopeOf(actor);
    if (scope !== null) qb.andWhere('d.storeId = :scope', { scope });
    if (filter.storeId !== undefined) qb.andWhere('d.storeId = :storeId', filter);
    if (filter.donorId !== undefined) qb.andWhere('d.donorId = :donorId', filter);
    if (filter.status !== undefined) qb.andWhere('d.status = :status', filter);
    if (filter.donorKind !== undefined) qb.andWhere('donor.kind = :donorKind', filter);
    if (filter.month !== undefined) {
      qb.andWhere('d.receivedDate BETWEEN :first AND :last', monthRange(filter.month));
    }
    const [rows, total] = await qb
      .orderBy('d.receivedDate', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    const lines =
      rows.length > 0
        ? await this.dataSource.getRepository(DonationLine).find({
            where: { donationId: In(rows.map((row) => row.id)) },
            order: { donationId: 'ASC', lineNo: 'ASC' },
          })
        : [];
    const donors = new Map(
      rows.length > 0
        ? (
            await this.dataSource.getRepository(Donor).find({
              select: { id: true, name: true, kind: true },
              where: { id: In([...new Set(rows.map((row) => row.donorId))]) },
            })
          ).map((donor) => [donor.id, donor])
        : [],
    );
    const items = rows.map((row): DonationListItem => {
      const donor = donors.get(row.donorId);
      const kind = donor?.kind ?? 'individual';
      const masked = isPerson(kind) && actor.role !== 'county_admin';
      const name = donor?.name ?? '';
      return {
        ...this.toView(
          row,
          lines.filter((line) => line.donationId === row.id),
        ),
        donorName: masked ? maskDonorName(kind, name) : name,
        donorKind: kind,
      };
    });
    return pageOf(items, total, page);
  }

  /**
   * 作废: takes the donated goods back out of their lots. Refused, naming the lines, when any of
   * them has already left its lot (handed out, transferred or written off); the receipt number
   * stays used and the receipt is re-rendered with the 作废 mark.
   */
  async void(actor: Actor, id: number, reason: string): Promise<DonationView> {
    await this.dataSource.transaction(async (em) => {
      const donation = await em.findOne(Donation, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!donation) throw new NotFoundError('donation', id);
      assertStoreAccess(actor, donation.storeId);
      if (donation.status === 'voided') throw new DonationVoidedError(id, donation.receiptNo);
      const lines = await em.find(DonationLine, {
        where: { donationId: id },
        order: { lineNo: 'ASC' },
      });
      const lots = new Map(
        (
          await em
            .getRepository(StockLot)
            .createQueryBuilder('lot')
            .setLock('pessimistic_write')
            .where('lot.id IN (:...ids)', {
              ids: lines.length > 0 ? lines.map((l) => l.lotId) : [0],
            })
            .orderBy('lot.id', 'ASC')
            .getMany()
        ).map((lot) => [lot.id, lot]),
      );
      const consumed: ConsumedLine[] = lines
        .map((line) => ({ line, remaining: lots.get(line.lotId)?.quantity ?? 0 }))
        .filter(({ line, remaining }) => remaining < line.quantity)
        .map(({ line, remaining }) => ({
          lineNo: line.lineNo,
          productId: line.productId,
          name: line.productName,
          donated: line.quantity,
          remaining,
        }));
      if (consumed.length > 0) throw new DonationGoodsConsumedError(donation.receiptNo, consumed);
      await this.stock.reverse(
        em,
        actor,
        { type: 'donation', id },
        { kind: 'void_reversal', ref: { type: 'donation_void', id }, note: `捐赠作废：${reason}` },
      );
      await em.update(
        Donation,
        { id },
        { status: 'voided', voidReason: reason, voidedBy: actor.userId, voidedAt: new Date() },
      );
      await this.audit.record(em, actor, {
        action: 'donation.void',
        entityType: 'donation',
        entityId: id,
        summary: `作废捐赠收据 ${donation.receiptNo}：${reason}`,
        storeId: donation.storeId,
      });
    });
    return this.view(this.dataSource.manager, id);
  }

  /** The code printed in the receipt's QR link: an HMAC, so numbers cannot be guessed into links. */
  verificationCode(receiptNo: string): string {
    return createHmac('sha256', this.config.dataKey)
      .update(`donation-receipt:${receiptNo}`)
      .digest('base64url')
      .slice(0, 16);
  }

  verifyUrl(receiptNo: string): string {
    return `${this.config.publicBaseUrl}${receiptPagePath(receiptNo, this.verificationCode(receiptNo))}`;
  }

  private async intakeIn(
    em: EntityManager,
    actor: Actor,
    input: NewDonation,
    idempotencyKey: string | null,
    requestHash: string | null,
  ): Promise<number> {
    const store = await em.findOneBy(Store, { id: input.storeId });
    if (!store) throw new NotFoundError('store', input.storeId);
    if (!store.active) {
      throw new StoreInactiveError(store, '不能登记捐赠');
    }
    const donor = input.donor
      ? await this.donors.createIn(em, actor, input.donor)
      : await em.findOneBy(Donor, { id: input.donorId ?? 0 });
    if (!donor) throw new NotFoundError('donor', input.donorId ?? 0);

    const today = businessDate(new Date(), this.config.timeZone);
    const receivedDate = input.receivedDate ?? today;
    if (receivedDate > today) {
      throw new ValidationFailedError(`收到日期 ${receivedDate} 不能晚于今天（${today}）`, {
        fields: [
          {
            field: 'receivedDate',
            constraints: ['maxDate'],
            messages: ['receivedDate is in the future'],
          },
        ],
      });
    }
    await assertMonthOpen(em, receivedDate, today);

    const resolved: {
      product: Product;
      line: IntakeLine;
      quantity: number;
      unitValueFen: number;
    }[] = [];
    const lines = input.lines ?? [];
    const products = await this.resolveProducts(em, actor, lines);
    for (const [index, line] of lines.entries()) {
      const product = products[index];
      if (!product) throw new Error(`no product resolved for line ${index}`);
      if (!product.active) {
        throw new ProductInactiveError(product, '不能入库');
      }
      resolved.push({
        product,
        line,
        quantity: line.quantity * (line.multiplier ?? 1),
        unitValueFen: line.unitValueFen ?? product.unitValueFen,
      });
    }
    const goodsValueFen = resolved.reduce((sum, r) => sum + r.quantity * r.unitValueFen, 0);
    const cashFen = input.cashFen ?? 0;
    if (goodsValueFen + cashFen > MAX_DONATION_FEN) {
      // also keeps every sum exact in a JS number and printable in 大写 on the receipt
      throw new ValidationFailedError('单笔捐赠总价值不能超过 100 亿元，请核对数量和单价', {
        fields: [
          {
            field: 'lines',
            constraints: ['max'],
            messages: [`total value must not exceed ${MAX_DONATION_FEN} fen`],
          },
        ],
      });
    }
    const number = await nextReceiptNumber(
      em,
      RECEIPT_SERIES,
      store,
      Number(receivedDate.slice(0, 4)),
    );

    const donation = em.create(Donation, {
      storeId: store.id,
      donorId: donor.id,
      receiptNo: number.receiptNo,
      receivedDate,
      goodsValueFen,
      cashFen,
      totalValueFen: goodsValueFen + cashFen,
      note: input.note ?? null,
      status: 'active',
      voidReason: null,
      voidedBy: null,
      voidedAt: null,
      createdBy: actor.userId,
      createdAt: new Date(),
      idempotencyKey,
      requestHash,
    });
    await em.insert(Donation, donation);

    let lineNo = 0;
    for (const { product, line, quantity, unitValueFen } of resolved) {
      lineNo += 1;
      const lot = await this.stock.receive(em, actor, {
        storeId: store.id,
        productId: product.id,
        quantity,
        unitValueFen,
        expiryDate: line.expiryDate ?? null,
        source: 'donation',
        kind: 'donation_in',
        ref: { type: 'donation', id: donation.id },
        note: `捐赠 ${number.receiptNo}`,
      });
      await em.insert(DonationLine, {
        donationId: donation.id,
        lineNo,
        productId: product.id,
        productName: product.name,
        unit: product.unit,
        quantity,
        unitValueFen,
        amountFen: quantity * unitValueFen,
        expiryDate: line.expiryDate ?? null,
        lotId: lot.id,
      });
    }
    await this.audit.record(em, actor, {
      action: 'donation.create',
      entityType: 'donation',
      entityId: donation.id,
      summary: `登记捐赠 ${number.receiptNo}：${resolved.length} 种物资，现金 ${cashFen} 分，合计 ${goodsValueFen + cashFen} 分`,
      storeId: store.id,
    });
    return donation.id;
  }

  /**
   * The product of each line, in order: catalogue ids and scanned codes are looked up with one
   * query each, new goods are registered in the intake's transaction.
   */
  private async resolveProducts(
    em: EntityManager,
    actor: Actor,
    lines: IntakeLine[],
  ): Promise<Product[]> {
    const ids = [...new Set(lines.flatMap((line) => (line.productId ? [line.productId] : [])))];
    const codes = [...new Set(lines.flatMap((line) => (line.barcode ? [line.barcode] : [])))];
    const byId = new Map(
      (ids.length > 0 ? await em.findBy(Product, { id: In(ids) }) : []).map((p) => [p.id, p]),
    );
    const byCode = new Map<string, Product>();
    if (codes.length > 0) {
      const found = await em.find(Product, {
        where: [{ barcode: In(codes) }, { internalCode: In(codes) }],
      });
      for (const product of found) {
        // codes compare case-insensitively in the database, so look them up the same way
        for (const code of codes) {
          const same = (value: string | null) => value?.toLowerCase() === code.toLowerCase();
          if (same(product.barcode) || same(product.internalCode)) byCode.set(code, product);
        }
      }
    }
    const products: Product[] = [];
    for (const line of lines) {
      if (line.product) {
        products.push(await this.products.createIn(em, actor, line.product));
      } else if (line.barcode !== undefined) {
        const product = byCode.get(line.barcode);
        if (!product) throw new UnknownBarcodeError(line.barcode);
        products.push(product);
      } else {
        const product = byId.get(line.productId ?? 0);
        if (!product) throw new NotFoundError('product', line.productId ?? 0);
        products.push(product);
      }
    }
    return products;
  }

  private assertShape(input: NewDonation): void {
    const hasGoods = (input.lines ?? []).length > 0;
    if (!hasGoods && !(input.cashFen && input.cashFen > 0)) {
      throw new ValidationFailedError('捐赠至少要有一行物资或一笔现金', {
        fields: [
          {
            field: 'lines',
            constraints: ['arrayNotEmpty'],
            messages: ['lines or cashFen required'],
          },
        ],
      });
    }
    if ((input.donorId === undefined) === (input.donor === undefined)) {
      throw new ValidationFailedError('请指定已有捐赠人（donorId）或新建捐赠人（donor），二选一', {
        fields: [
          { field: 'donorId', constraints: ['exactlyOne'], messages: ['give donorId or donor'] },
        ],
      });
    }
    (input.lines ?? []).forEach((line, index) => {
      const given = [line.productId, line.barcode, line.product].filter((v) => v !== undefined);
      if (given.length !== 1) {
        throw new ValidationFailedError(
          `第 ${index + 1} 行请指定商品：productId、barcode 或 product 三选一`,
          {
            fields: [
              {
                field: `lines.${index}.productId`,
                constraints: ['exactlyOne'],
                messages: ['give one of productId, barcode, product'],
              },
            ],
          },
        );
      }
    });
  }

  private async replay(
    storeId: number,
    key: string,
    requestHash: string | null,
  ): Promise<DonationView | null> {
    const earlier = await this.dataSource
      .getRepository(Donation)
      .findOneBy({ storeId, idempotencyKey: key });
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key);
    return this.view(this.dataSource.manager, earlier.id);
  }

  async view(em: EntityManager, id: number): Promise<DonationView> {
    const donation = await em.findOneBy(Donation, { id });
    if (!donation) throw new NotFoundError('donation', id);
    const lines = await em.find(DonationLine, {
      where: { donationId: id },
      order: { lineNo: 'ASC' },
    });
    return this.toView(donation, lines);
  }

  private toView(donation: Donation, lines: DonationLine[]): DonationView {
    return {
      id: donation.id,
      receiptNo: donation.receiptNo,
      storeId: donation.storeId,
      donorId: donation.donorId,
      receivedDate: donation.receivedDate,
      status: donation.status,
      lines: lines.map((line) => ({
        lineNo: line.lineNo,
        productId: line.productId,
        name: line.productName,
        unit: line.unit,
        quantity: line.quantity,
        unitValueFen: line.unitValueFen,
        amountFen: line.amountFen,
        expiryDate: line.expiryDate,
        lotId: line.lotId,
      })),
      goodsValueFen: donation.goodsValueFen,
      cashFen: donation.cashFen,
      totalValueFen: donation.totalValueFen,
      note: donation.note,
      voidReason: donation.voidReason,
      voidedAt: donation.voidedAt,
      createdBy: donation.createdBy,
      createdAt: donation.createdAt,
      receiptUrl: `/api/v1/donations/${donation.id}/receipt.pdf`,
      verifyUrl: this.verifyUrl(donation.receiptNo),
    };
  }

  /** Clerk names for receipts. */
  async userNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const users = ids.length > 0 ? await em.findBy(User, { id: In(ids) }) : [];
    return new Map(users.map((user) => [user.id, user.displayName]));
  }
}

export function monthRange(month: string): { first: string; last: string } {
  const [year, mon] = month.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year ?? 0, mon ?? 1, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(lastDay).padStart(2, '0')}` };
}
