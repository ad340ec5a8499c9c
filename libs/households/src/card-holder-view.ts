import { maskName } from '@charity/common';
import type { Household, HouseholdCategory, HouseholdStatus } from './household.entity';

/**
 * A household as another store's till sees it after a card scan: what serving the household
 * needs, with the name masked, and nothing that says who or where they are.
 */
export interface CardHolderView {
  id: number;
  cardNo: string;
  /** masked: `王**` */
  name: string;
  category: HouseholdCategory;
  status: HouseholdStatus;
  balance: number;
}

/** The till's view of a household: what serving it needs, the head's name masked. */
export function cardHolderView(household: Household): CardHolderView {
  return {
    id: household.id,
    cardNo: household.cardNo,
    name: maskName(household.headName),
    category: household.category,
    status: household.status,
    balance: household.balance,
  };
}
