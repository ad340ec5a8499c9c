// Shapes the intake screen reads and sends (from apps/api/src/donations, donors and products),
// and the few rules it checks before the api does.
import { download, get, getBlob, type Page } from '@/api/client';
import type { Schema } from '@/api/types';
import { fenOf } from '@/format';
import { printPdf } from '@/print';

export type DonorKind = Schema<'DonorKind'>;

export const DONOR_KIND_LABELS: Record<DonorKind, string> = {
  individual: '个人',
  company: '企业',
  organization: '单位/组织',
  union_member: '工会会员',
};

export const DONOR_KINDS = Object.keys(DONOR_KIND_LABELS) as DonorKind[];

/** The api's donor pattern: an 11-digit mobile, or a landline with its area code. */
export const PHONE_PATTERN = /^(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;

export type Donor = Schema<'DonorResponse'>;

export type NewDonor = Schema<'CreateDonorRequest'>;

export type Product = Schema<'ProductView'>;

export type DonationStatus = Schema<'DonationStatus'>;

export type Donation = Schema<'DonationResponse'>;

/** A row of GET /donations: the donation with its donor named (a person's name masked). */
export type DonationListItem = Schema<'DonationListItemResponse'>;

/** One goods line as the clerk edits it: value typed in yuan, converted on submit. */
export interface DraftLine {
  key: number;
  product: Product;
  quantity: number;
  unitValueYuan: string;
  expiryDate: string | null;
}

export type IntakeLineRequest = Schema<'IntakeLineRequest'>;

/** The value of a line in fen, or null while its unit value is not an amount. */
export function lineValueFen(line: DraftLine): number | null {
  const unit = fenOf(line.unitValueYuan);
  return unit === null ? null : unit * line.quantity;
}

/** "45.00" for 4500 fen: how a reference value is offered for editing. */
export function yuanText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** What is wrong with each line, in the clerk's words; empty when all lines can be sent. */
export function lineProblems(lines: DraftLine[]): string[] {
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const where = `第 ${index + 1} 行（${line.product.name}）`;
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      problems.push(`${where}：数量必须大于 0`);
    }
    if (fenOf(line.unitValueYuan) === null) {
      problems.push(`${where}：单价请填写金额，如 12.50`);
    }
  });
  return problems;
}

/** Products in use whose name (or code) contains `text`, for the name search. */
export async function searchProducts(text: string): Promise<Product[]> {
  const page = await get<Page<Product>>('/products', { search: text, active: true, pageSize: 20 });
  return page.items;
}

export async function printReceipt(donation: Pick<Donation, 'id'>): Promise<void> {
  printPdf(await getBlob(`/donations/${donation.id}/receipt.pdf`));
}

export function downloadReceipt(donation: Pick<Donation, 'id' | 'receiptNo'>): Promise<void> {
  return download(`/donations/${donation.id}/receipt.pdf`, `捐赠收据-${donation.receiptNo}.pdf`);
}

/** The unfinished form, kept for the tab's life so a re-login (expired token) loses nothing. */
export interface IntakeDraft {
  donor: Donor | null;
  lines: DraftLine[];
  cashYuan: string;
  receivedDate: string;
  note: string;
  /** Kept with the form: a retry after a reload still records once. */
  idempotencyKey: string;
}

const DRAFT_KEY = 'charity.intake.draft';

export function loadDraft(): IntakeDraft | null {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as IntakeDraft | null;
  } catch {
    return null; // a damaged draft is the same as none
  }
}

export function saveDraft(draft: IntakeDraft): void {
  const empty = !draft.donor && draft.lines.length === 0 && !draft.cashYuan && !draft.note;
  if (empty) sessionStorage.removeItem(DRAFT_KEY);
  else sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
}
