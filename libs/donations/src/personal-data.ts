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
