import { maskName } from '@charity/common';
import type { DonorKind } from './donor.entity';

/**
 * Masking of donors' personal data (PRODUCT rule 9). Only people are protected: a company's or
 * organisation's name and contact details are public facts and are shown as they are.
 */

/** Kinds whose donors are natural persons. */
export const PERSON_KINDS: readonly DonorKind[] = ['individual', 'union_member'];

export function isPerson(kind: DonorKind): boolean {
  return PERSON_KINDS.includes(kind);
}

/** A donor's name as anyone but a county admin may see it. */
export function maskDonorName(kind: DonorKind, name: string): string {
  return isPerson(kind) ? maskName(name) : name;
}

/** What public pages say for a donor who has not agreed to be shown. */
export const ANONYMOUS_DONOR_NAME = '匿名捐赠人';

/**
 * A donor's name as the public sees it, by the 荣誉榜's rule: only with the donor's consent, and
 * then people masked and units in full; without consent the donor stays anonymous.
 */
export function publicDonorName(donor: {
  kind: DonorKind;
  name: string;
  honorConsent: boolean;
}): string {
  return donor.honorConsent ? maskDonorName(donor.kind, donor.name) : ANONYMOUS_DONOR_NAME;
}
