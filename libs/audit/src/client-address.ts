import { isIPv4 } from 'node:net';

/**
 * The address a person reads: Node reports an IPv4 client on a dual-stack socket as IPv4-mapped
 * IPv6 (`::ffff:127.0.0.1`); that is the IPv4 address 127.0.0.1. Anything else is kept as given.
 */
export function clientAddress(ip: string): string;
export function clientAddress(ip: string | null | undefined): string | null;
export function clientAddress(ip: string | null | undefined): string | null {
  if (ip === null || ip === undefined) return null;
  const mapped = /^::ffff:(.+)$/i.exec(ip);
  return mapped?.[1] !== undefined && isIPv4(mapped[1]) ? mapped[1] : ip;
}
