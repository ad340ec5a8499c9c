import type { ValueTransformer } from 'typeorm';

/**
 * mysql2 returns BIGINT as a string; ids and counters here stay far below 2^53, so they are
 * converted to numbers at the repository edge.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};
