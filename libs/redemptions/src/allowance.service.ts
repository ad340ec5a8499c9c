import {
  addDays,
  CardNotFoundError,
  EXPIRING_SOON_DAYS,
  Household,
  normalizeCardNumber,
  PointsLedger,
} from '@charity/households';
import { Product, ProductCategory } from '@charity/inventory';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { spendRefusal, type CartProblem, type MonthUsage } from './cart-rules';
import { expiringGrants, monthUsage } from './redemption-queries';
import { tillHousehold, type TillHousehold } from './till-household';

/** One monthly limit and how much of it a household has taken this month. */
export interface AllowanceLimit {
  limit: 'product' | 'category';
  id: number;
  name: string;
  used: number;
  allowed: number;
}

/** What the till shows beside a scanned card before any goods are scanned. */
export interface Allowance {
  household: TillHousehold;
  /** Points that lapse within `withinDays` days, by expiry date. */
  expiringSoon: {
    points: number;
    withinDays: number;
    grants: { expiresOn: string; points: number }[];
  };
  /** The Asia/Shanghai month the usage is counted in (`YYYY-MM`). */
  month: string;
  /** 人次 this month; allowed is null when the policy sets no visits limit. */
  visits: { used: number; allowed: number | null };
  /** Limited products and categories the household has already taken from this month. */
  limits: AllowanceLimit[];
  /** Why no checkout can go through (HOUSEHOLD_INACTIVE), said at the card scan; else null. */
  refusal: CartProblem | null;
}

/**
 * The household behind a scanned card as the till shows it: masked name, balance, points about
 * to lapse, and this month's visits and limited goods already taken (county-wide, like limits).
 */
@Injectable()
export class AllowanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: PointsLedger,
  ) {}

  async allowance(cardNo: string): Promise<Allowance> {
    const em = this.dataSource.manager;
    const card = normalizeCardNumber(cardNo);
    const household = await em.findOneBy(Household, { cardNo: card });
    if (!household) throw new CardNotFoundError(card);
    const today = this.ledger.today();
    const month = today.slice(0, 7);
    const [policy, spendable, usage, grants] = await Promise.all([
      this.ledger.currentPolicy(em),
      this.ledger.spendable(em, household.id, today),
      monthUsage(em, household.id, month),
      expiringGrants(em, household.id, today, addDays(today, EXPIRING_SOON_DAYS)),
    ]);
    return {
      household: tillHousehold(household, spendable),
      expiringSoon: {
        points: grants.reduce((sum, grant) => sum + grant.points, 0),
        withinDays: EXPIRING_SOON_DAYS,
        grants,
      },
      month,
      visits: { used: usage.visits, allowed: policy.monthlyVisitLimit },
      limits: await limitsTaken(em, usage),
      refusal: spendRefusal(household, policy),
    };
  }
}

/** The limited products and categories among what the household took this month. */
async function limitsTaken(em: EntityManager, usage: MonthUsage): Promise<AllowanceLimit[]> {
  const productIds = [...usage.products.keys()];
  if (productIds.length === 0) return [];
  const [products, categories] = await Promise.all([
    em.find(Product, {
      where: { id: In(productIds) },
      select: { id: true, name: true, monthlyLimitPerHousehold: true },
      order: { id: 'ASC' },
    }),
    em.find(ProductCategory, {
      where: { id: In([...usage.categories.keys()]) },
      select: { id: true, name: true, monthlyLimitPerHousehold: true },
      order: { id: 'ASC' },
    }),
  ]);
  const limits: AllowanceLimit[] = [];
  for (const product of products) {
    if (product.monthlyLimitPerHousehold === null) continue;
    limits.push({
      limit: 'product',
      id: product.id,
      name: product.name,
      used: usage.products.get(product.id) ?? 0,
      allowed: product.monthlyLimitPerHousehold,
    });
  }
  for (const category of categories) {
    if (category.monthlyLimitPerHousehold === null) continue;
    limits.push({
      limit: 'category',
      id: category.id,
      name: category.name,
      used: usage.categories.get(category.id) ?? 0,
      allowed: category.monthlyLimitPerHousehold,
    });
  }
  return limits;
}
