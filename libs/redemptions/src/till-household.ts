import { cardHolderView, type CardHolderView, type Household } from '@charity/households';

/** The household as the till shows it: the head's name masked, with what can be spent today. */
export interface TillHousehold extends CardHolderView {
  spendable: number;
}

export function tillHousehold(household: Household, spendable: number): TillHousehold {
  return { ...cardHolderView(household), spendable };
}
