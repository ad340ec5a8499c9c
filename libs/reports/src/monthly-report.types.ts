/**
 * The monthly report's figures. Every amount is integer fen, every count an integer.
 *
 * Months are Asia/Shanghai months and every figure is counted as it stood at the end of its month:
 * a redemption or donation voided in a later month still counts in its own month, and the void
 * shows in the later month as a correction (`corrections`). So a month's figures never change once
 * the month is over, and closing a month only freezes back-dated writes and snapshots them.
 */
export interface ReportRegion {
  /** `null` for the whole deployment (every county). */
  id: number | null;
  /** `province` for the whole deployment, `store` for a single store. */
  level: 'province' | 'county' | 'township' | 'village' | 'store';
  name: string;
}

export interface DonorKindFigures {
  kind: string;
  label: string;
  count: number;
  donors: number;
  totalValueFen: number;
}

export interface CategoryValue {
  categoryId: number;
  name: string;
  quantity: number;
  valueFen: number;
}

export interface TopDonor {
  donorId: number;
  name: string;
  kind: string;
  count: number;
  totalValueFen: number;
}

export interface DonationFigures {
  count: number;
  donors: number;
  goodsValueFen: number;
  cashFen: number;
  totalValueFen: number;
  byDonorKind: DonorKindFigures[];
  byCategory: CategoryValue[];
  topDonors: TopDonor[];
  /** Donations of earlier months voided during this month (negative or zero). */
  corrections: { count: number; totalValueFen: number };
}

export interface HouseholdCategoryFigures {
  category: string;
  label: string;
  households: number;
  visits: number;
  pointsRedeemed: number;
  goodsValueFen: number;
}

export interface AidFigures {
  /** Distinct households: one served at two stores counts once. */
  households: number;
  /** 人次: completed redemptions and deliveries, net of voids and cancellations. */
  visits: number;
  pointsRedeemed: number;
  /** Intake value of the goods handed out. */
  goodsValueFen: number;
  byCategory: HouseholdCategoryFigures[];
  /** Redemptions of earlier months voided or cancelled during this month (negative or zero). */
  corrections: { visits: number; pointsRedeemed: number; goodsValueFen: number };
}

export interface PointsFigures {
  /** Awards and allotments, net of their reversals. */
  issued: number;
  /** Spent at checkout, net of voids and cancellations. */
  redeemed: number;
  expired: number;
  /** Manual adjustments, signed. */
  adjusted: number;
  /** Unspent points at the end of the period. */
  outstanding: number;
}

export interface StockFigures {
  /** Value of goods on hand at the end of the period, at intake value. */
  onHandValueFen: number;
  /** Goods written off as expired during the period. */
  expiredWriteOffValueFen: number;
}

/** The figures of one period (a month or the year to date). */
export interface PeriodFigures {
  stores: { active: number };
  donations: DonationFigures;
  aid: AidFigures;
  points: PointsFigures;
  stock: StockFigures;
}

/** One row of the per-township or per-store breakdown. */
export interface BreakdownRow {
  regionId: number | null;
  storeId: number | null;
  code: string | null;
  name: string;
  activeStores: number;
  donationCount: number;
  donationValueFen: number;
  households: number;
  visits: number;
  pointsRedeemed: number;
  goodsValueFen: number;
}

/** A month of the 12-month trend drawn on the PDF. */
export interface TrendPoint {
  month: string;
  donationValueFen: number;
  visits: number;
  households: number;
}

export interface MonthlyReport extends PeriodFigures {
  month: string;
  region: ReportRegion;
  /** Jan 1 to the end of the month. */
  yearToDate: PeriodFigures;
  /** The same month a year earlier, or `null` where there is no data for it. */
  lastYear: PeriodFigures | null;
  townships: BreakdownRow[];
  storesBreakdown: BreakdownRow[];
  /** The 12 months ending with this one, oldest first. */
  trend: TrendPoint[];
  /** 本月全县共有N个爱心超市开展服务，… in the county's own style. */
  headline: string;
  /** `live` when computed now; `snapshot` when the month is closed and this is its frozen copy. */
  source: 'live' | 'snapshot';
  closedAt: string | null;
  generatedAt: string;
}

/** One line of the donation register. */
export interface DonationRegisterRow {
  donationId: number;
  receiptNo: string;
  receivedDate: string;
  storeId: number;
  storeName: string;
  donorId: number;
  donorName: string;
  donorKind: string;
  /** null for a cash-only donation. */
  lineNo: number | null;
  productName: string | null;
  categoryName: string | null;
  quantity: number | null;
  unit: string | null;
  unitValueFen: number | null;
  amountFen: number;
  cashFen: number;
  status: 'active' | 'voided';
  /** Counts in the month's figures: not voided before the month ended (a later void is a correction). */
  countsInMonth: boolean;
}

/** One redemption of the aid register; household shown by card number and category only. */
export interface AidRegisterRow {
  redemptionId: number;
  receiptNo: string;
  businessDate: string;
  storeId: number;
  storeName: string;
  townshipName: string | null;
  cardNo: string;
  householdCategory: string;
  householdCategoryLabel: string;
  fulfilment: string;
  status: string;
  lines: number;
  pointsTotal: number;
  goodsValueFen: number;
  /** Counts in the month's figures: not voided or cancelled before the month ended. */
  countsInMonth: boolean;
}

/** What a donor's goods did, from the lots their donations filled. */
export interface DonorImpact {
  donorId: number;
  donorName: string;
  year: number;
  donatedValueFen: number;
  donatedQuantity: number;
  givenOutValueFen: number;
  givenOutQuantity: number;
  /** Share of the donated value already given out, 0–100 with one decimal. */
  givenOutPercent: number;
  households: number;
  visits: number;
  townships: { name: string; households: number; visits: number; valueFen: number }[];
  products: { name: string; unit: string; donatedQuantity: number; givenOutQuantity: number }[];
}
