// The api's shapes, generated from its OpenAPI document into schema.d.ts by `npm run api:types`
// (docs/api.md). Screens name them through these aliases and never restate them by hand.
import type { components } from './schema';

/** A schema of the OpenAPI document by name: `Schema<'QuoteResponse'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type HouseholdCategory = Schema<'HouseholdCategory'>;
export type HouseholdStatus = Schema<'HouseholdStatus'>;
export type Fulfilment = Schema<'Fulfilment'>;
export type RedemptionStatus = Schema<'RedemptionStatus'>;
