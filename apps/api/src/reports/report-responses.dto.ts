import {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  EXPORT_STATUSES,
  type AidFigures,
  type AidRegisterRow,
  type BreakdownRow,
  type CategoryValue,
  type DonationFigures,
  type DonationRegisterRow,
  type DonorImpact,
  type DonorKindFigures,
  type ExportFormat,
  type ExportKind,
  type ExportStatus,
  type ExportView,
  type HouseholdCategoryFigures,
  type MonthlyReport,
  type MonthState,
  type PeriodFigures,
  type PointsFigures,
  type ReportRegion,
  type StockFigures,
  type TopDonor,
  type TrendPoint,
} from '@charity/reports';
import { ApiProperty } from '@nestjs/swagger';

// Every amount is integer fen, every count an integer; months are Asia/Shanghai `YYYY-MM`.

export class ReportRegionResponse implements ReportRegion {
  @ApiProperty({ type: Number, nullable: true, description: 'null: the whole deployment' })
  id!: number | null;
  @ApiProperty({ enum: ['province', 'county', 'township', 'village', 'store'] })
  level!: ReportRegion['level'];
  @ApiProperty() name!: string;
}

export class DonorKindFiguresResponse implements DonorKindFigures {
  @ApiProperty() kind!: string;
  @ApiProperty() label!: string;
  @ApiProperty() count!: number;
  @ApiProperty() donors!: number;
  @ApiProperty() totalValueFen!: number;
}

export class CategoryValueResponse implements CategoryValue {
  @ApiProperty() categoryId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() valueFen!: number;
}

export class TopDonorResponse implements TopDonor {
  @ApiProperty() donorId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() count!: number;
  @ApiProperty() totalValueFen!: number;
}

export class DonationCorrectionsResponse {
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'negative or zero' }) totalValueFen!: number;
}

export class DonationFiguresResponse implements DonationFigures {
  @ApiProperty() count!: number;
  @ApiProperty() donors!: number;
  @ApiProperty() goodsValueFen!: number;
  @ApiProperty() cashFen!: number;
  @ApiProperty() totalValueFen!: number;
  @ApiProperty({ type: [DonorKindFiguresResponse] }) byDonorKind!: DonorKindFiguresResponse[];
  @ApiProperty({ type: [CategoryValueResponse] }) byCategory!: CategoryValueResponse[];
  @ApiProperty({ type: [TopDonorResponse] }) topDonors!: TopDonorResponse[];
  @ApiProperty({
    type: DonationCorrectionsResponse,
    description: 'donations of earlier months voided during this month',
  })
  corrections!: DonationCorrectionsResponse;
}

export class HouseholdCategoryFiguresResponse implements HouseholdCategoryFigures {
  @ApiProperty() category!: string;
  @ApiProperty() label!: string;
  @ApiProperty() households!: number;
  @ApiProperty() visits!: number;
  @ApiProperty() pointsRedeemed!: number;
  @ApiProperty() goodsValueFen!: number;
}

export class AidCorrectionsResponse {
  @ApiProperty() visits!: number;
  @ApiProperty() pointsRedeemed!: number;
  @ApiProperty() goodsValueFen!: number;
}

export class AidFiguresResponse implements AidFigures {
  @ApiProperty({ description: 'distinct households' }) households!: number;
  @ApiProperty({ description: '人次, net of voids and cancellations' }) visits!: number;
  @ApiProperty() pointsRedeemed!: number;
  @ApiProperty({ description: 'intake value of the goods handed out' }) goodsValueFen!: number;
  @ApiProperty({ type: [HouseholdCategoryFiguresResponse] })
  byCategory!: HouseholdCategoryFiguresResponse[];
  @ApiProperty({
    type: AidCorrectionsResponse,
    description: 'redemptions of earlier months voided or cancelled during this month',
  })
  corrections!: AidCorrectionsResponse;
}

export class PointsFiguresResponse implements PointsFigures {
  @ApiProperty({ description: 'awards and allotments, net of reversals' }) issued!: number;
  @ApiProperty({ description: 'net of voids and cancellations' }) redeemed!: number;
  @ApiProperty() expired!: number;
  @ApiProperty({ description: 'manual adjustments, signed' }) adjusted!: number;
  @ApiProperty({ description: 'unspent at the end of the period' }) outstanding!: number;
}

export class StockFiguresResponse implements StockFigures {
  @ApiProperty() onHandValueFen!: number;
  @ApiProperty() expiredWriteOffValueFen!: number;
}

export class ActiveStoresResponse {
  @ApiProperty() active!: number;
}

/** The figures of one period (a month or the year to date). */
export class PeriodFiguresResponse implements PeriodFigures {
  @ApiProperty({ type: ActiveStoresResponse }) stores!: ActiveStoresResponse;
  @ApiProperty({ type: DonationFiguresResponse }) donations!: DonationFiguresResponse;
  @ApiProperty({ type: AidFiguresResponse }) aid!: AidFiguresResponse;
  @ApiProperty({ type: PointsFiguresResponse }) points!: PointsFiguresResponse;
  @ApiProperty({ type: StockFiguresResponse }) stock!: StockFiguresResponse;
}

export class BreakdownRowResponse implements BreakdownRow {
  @ApiProperty({ type: Number, nullable: true }) regionId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) storeId!: number | null;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() activeStores!: number;
  @ApiProperty() donationCount!: number;
  @ApiProperty() donationValueFen!: number;
  @ApiProperty() households!: number;
  @ApiProperty() visits!: number;
  @ApiProperty() pointsRedeemed!: number;
  @ApiProperty() goodsValueFen!: number;
}

export class TrendPointResponse implements TrendPoint {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiProperty() donationValueFen!: number;
  @ApiProperty() visits!: number;
  @ApiProperty() households!: number;
}

export class MonthlyReportResponse extends PeriodFiguresResponse implements MonthlyReport {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiProperty({ type: ReportRegionResponse }) region!: ReportRegionResponse;
  @ApiProperty({ type: PeriodFiguresResponse, description: 'Jan 1 to the end of the month' })
  yearToDate!: PeriodFiguresResponse;
  @ApiProperty({ type: PeriodFiguresResponse, nullable: true, description: 'a year earlier' })
  lastYear!: PeriodFiguresResponse | null;
  @ApiProperty({ type: [BreakdownRowResponse] }) townships!: BreakdownRowResponse[];
  @ApiProperty({ type: [BreakdownRowResponse] }) storesBreakdown!: BreakdownRowResponse[];
  @ApiProperty({ type: [TrendPointResponse], description: '12 months, oldest first' })
  trend!: TrendPointResponse[];
  @ApiProperty({ description: 'one sentence in the county union’s own style' }) headline!: string;
  @ApiProperty({
    enum: ['live', 'snapshot'],
    description: 'snapshot: the month is closed and this is its frozen copy',
  })
  source!: 'live' | 'snapshot';
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
  @ApiProperty() generatedAt!: string;
}

/** One line of the donation register. */
export class DonationRegisterRowResponse implements DonationRegisterRow {
  @ApiProperty() donationId!: number;
  @ApiProperty() receiptNo!: string;
  @ApiProperty({ format: 'date' }) receivedDate!: string;
  @ApiProperty() storeId!: number;
  @ApiProperty() storeName!: string;
  @ApiProperty() donorId!: number;
  @ApiProperty() donorName!: string;
  @ApiProperty() donorKind!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null for a cash-only donation' })
  lineNo!: number | null;
  @ApiProperty({ type: String, nullable: true }) productName!: string | null;
  @ApiProperty({ type: String, nullable: true }) categoryName!: string | null;
  @ApiProperty({ type: Number, nullable: true }) quantity!: number | null;
  @ApiProperty({ type: String, nullable: true }) unit!: string | null;
  @ApiProperty({ type: Number, nullable: true }) unitValueFen!: number | null;
  @ApiProperty() amountFen!: number;
  @ApiProperty() cashFen!: number;
  @ApiProperty({ enum: ['active', 'voided'] }) status!: 'active' | 'voided';
  @ApiProperty({ description: 'not voided before the month ended' }) countsInMonth!: boolean;
}

/** One redemption of the aid register: the household by card number and category only. */
export class AidRegisterRowResponse implements AidRegisterRow {
  @ApiProperty() redemptionId!: number;
  @ApiProperty() receiptNo!: string;
  @ApiProperty({ format: 'date' }) businessDate!: string;
  @ApiProperty() storeId!: number;
  @ApiProperty() storeName!: string;
  @ApiProperty({ type: String, nullable: true }) townshipName!: string | null;
  @ApiProperty() cardNo!: string;
  @ApiProperty() householdCategory!: string;
  @ApiProperty() householdCategoryLabel!: string;
  @ApiProperty() fulfilment!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'number of lines' }) lines!: number;
  @ApiProperty() pointsTotal!: number;
  @ApiProperty() goodsValueFen!: number;
  @ApiProperty({ description: 'not voided or cancelled before the month ended' })
  countsInMonth!: boolean;
}

export class ImpactTownshipResponse {
  @ApiProperty() name!: string;
  @ApiProperty() households!: number;
  @ApiProperty() visits!: number;
  @ApiProperty() valueFen!: number;
}

export class ImpactProductResponse {
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() donatedQuantity!: number;
  @ApiProperty() givenOutQuantity!: number;
}

/** What a donor's goods did, from the lots their donations filled. */
export class DonorImpactResponse implements DonorImpact {
  @ApiProperty() donorId!: number;
  @ApiProperty() donorName!: string;
  @ApiProperty() year!: number;
  @ApiProperty() donatedValueFen!: number;
  @ApiProperty() donatedQuantity!: number;
  @ApiProperty() givenOutValueFen!: number;
  @ApiProperty() givenOutQuantity!: number;
  @ApiProperty({ description: 'share of the donated value given out, 0–100, one decimal' })
  givenOutPercent!: number;
  @ApiProperty() households!: number;
  @ApiProperty() visits!: number;
  @ApiProperty({ type: [ImpactTownshipResponse] }) townships!: ImpactTownshipResponse[];
  @ApiProperty({ type: [ImpactProductResponse] }) products!: ImpactProductResponse[];
}

export class ExportResponse implements ExportView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: EXPORT_KINDS }) kind!: ExportKind;
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiProperty({ type: Number, nullable: true }) regionId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) storeId!: number | null;
  @ApiProperty({ enum: EXPORT_FORMATS }) format!: ExportFormat;
  @ApiProperty({ enum: EXPORT_STATUSES }) status!: ExportStatus;
  @ApiProperty({ description: '0–100' }) progress!: number;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty({ type: Number, nullable: true }) bytes!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ description: 'made by the monthly schedule (月报存档)' }) archived!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'set once the file is ready' })
  fileUrl!: string | null;
}

export class MonthStateResponse implements MonthState {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true }) closedBy!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reopenedAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true }) reopenedBy!: number | null;
  @ApiProperty({ type: String, nullable: true }) reopenReason!: string | null;
}
