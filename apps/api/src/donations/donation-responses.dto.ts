import {
  DONATION_STATUSES,
  DONOR_KINDS,
  type DonationListItem,
  type DonationStatus,
  type DonationView,
  type DonorKind,
  type ReceiptVerification,
} from '@charity/donations';
import { ApiProperty } from '@nestjs/swagger';

export class DonationLineResponse {
  @ApiProperty() lineNo!: number;
  @ApiProperty() productId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'fixed at intake' }) unitValueFen!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ type: String, format: 'date', nullable: true }) expiryDate!: string | null;
  @ApiProperty({ description: 'the stock lot the goods went into' }) lotId!: number;
}

/** 捐赠: goods in kind and/or cash, with its numbered receipt. */
export class DonationResponse implements DonationView {
  @ApiProperty() id!: number;
  @ApiProperty() receiptNo!: string;
  @ApiProperty() storeId!: number;
  @ApiProperty() donorId!: number;
  @ApiProperty({ format: 'date' }) receivedDate!: string;
  @ApiProperty({ enum: DONATION_STATUSES, enumName: 'DonationStatus' }) status!: DonationStatus;
  @ApiProperty({ type: [DonationLineResponse] }) lines!: DonationLineResponse[];
  @ApiProperty() goodsValueFen!: number;
  @ApiProperty() cashFen!: number;
  @ApiProperty() totalValueFen!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt!: Date | null;
  @ApiProperty() createdBy!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty() receiptUrl!: string;
  @ApiProperty({ description: 'the public verification page the receipt QR code opens' })
  verifyUrl!: string;
}

export class DonationListItemResponse extends DonationResponse implements DonationListItem {
  @ApiProperty() donorName!: string;
  @ApiProperty({ enum: DONOR_KINDS, enumName: 'DonorKind' }) donorKind!: DonorKind;
}

/** What anyone holding a receipt learns when its number and code match. */
export class ReceiptVerificationResponse implements ReceiptVerification {
  @ApiProperty({ type: Boolean, enum: [true] }) genuine!: true;
  @ApiProperty() receiptNo!: string;
  @ApiProperty({ enum: DONATION_STATUSES, enumName: 'DonationStatus' }) status!: DonationStatus;
  @ApiProperty({ format: 'date' }) receivedDate!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty({ description: 'masked for individuals and union members' }) donorName!: string;
  @ApiProperty() totalValueFen!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt!: Date | null;
}
