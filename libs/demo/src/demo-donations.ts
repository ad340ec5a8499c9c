import type { Actor } from '@charity/common';
import type { DonationsService, NewDonor } from '@charity/donations';

/** Donors of the demo county: companies, a 帮扶单位, union members and a private giver. */
export const DEMO_DONORS: (NewDonor & { key: string })[] = [
  {
    key: 'hongda',
    kind: 'company',
    name: '青山县宏达粮油有限公司',
    phone: '0372-5518866',
    creditCode: '91350100M000100Y43',
    honorConsent: true,
  },
  {
    key: 'jiaotong',
    kind: 'organization',
    name: '县交通运输局帮扶工作队',
    honorConsent: true,
    receiptPreference: 'annual',
  },
  { key: 'xinhua', kind: 'company', name: '青山新华书店', honorConsent: true },
  { key: 'wang', kind: 'union_member', name: '王淑芬', phone: '13837201234', honorConsent: true },
  { key: 'li', kind: 'individual', name: '李建国', phone: '13903725566', honorConsent: false },
];

interface DemoDonation {
  store: string;
  donor: string;
  /** Product names from the demo catalogue with quantities. */
  goods: [string, number][];
  cashFen?: number;
  note?: string;
}

const DEMO_DONATIONS: DemoDonation[] = [
  {
    store: 'QS01',
    donor: 'hongda',
    goods: [
      ['东北大米 5kg', 100],
      ['东北大米 10kg', 40],
    ],
    note: '重阳节慰问',
  },
  { store: 'QS01', donor: 'jiaotong', goods: [['棉被 2kg', 30]], cashFen: 500_000 },
  { store: 'QS02', donor: 'xinhua', goods: [['双肩书包', 50]], note: '开学季助学' },
  { store: 'QS03', donor: 'wang', goods: [['洗衣粉 1.5kg', 12]] },
  { store: 'QS03', donor: 'li', goods: [], cashFen: 20_000 },
];

/**
 * A few donations so receipts, the honor board and statements have something to show. Goods are
 * donated at their reference value and enter stock as donation lots.
 */
export async function loadDemoDonations(
  donations: DonationsService,
  clerks: Map<string, Actor>,
  products: Map<string, { id: number }>,
): Promise<number> {
  const donorIds = new Map<string, number>();
  let count = 0;
  for (const entry of DEMO_DONATIONS) {
    const clerk = clerks.get(entry.store);
    if (!clerk?.storeId) continue;
    const known = donorIds.get(entry.donor);
    const listed = DEMO_DONORS.find((d) => d.key === entry.donor);
    if (!listed) continue;
    const { key: _key, ...donor } = listed;
    const lines = entry.goods
      .map(([name, quantity]) => ({ productId: products.get(name)?.id, quantity }))
      .filter(
        (line): line is { productId: number; quantity: number } => line.productId !== undefined,
      );
    const { donation } = await donations.intake(clerk, {
      storeId: clerk.storeId,
      ...(known ? { donorId: known } : { donor }),
      lines,
      cashFen: entry.cashFen,
      note: entry.note,
    });
    donorIds.set(entry.donor, donation.donorId);
    count += 1;
  }
  return count;
}
