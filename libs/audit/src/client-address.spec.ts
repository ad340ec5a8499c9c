import { clientAddress } from './client-address';

describe('clientAddress', () => {
  it('shows an IPv4-mapped IPv6 address as the IPv4 address it is', () => {
    expect(clientAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('::FFFF:10.2.3.4')).toBe('10.2.3.4');
  });

  it('keeps IPv4, real IPv6 and missing addresses as they are', () => {
    expect(clientAddress('192.168.1.20')).toBe('192.168.1.20');
    expect(clientAddress('::1')).toBe('::1');
    expect(clientAddress('2001:db8::ffff:1')).toBe('2001:db8::ffff:1');
    expect(clientAddress('::ffff:abcd')).toBe('::ffff:abcd');
    expect(clientAddress(null)).toBeNull();
    expect(clientAddress(undefined)).toBeNull();
  });
});
