import { AppConfig } from '@charity/config';
import { PersonalDataCipher } from './personal-data-cipher';

function cipherWith(hexKey: string): PersonalDataCipher {
  const config = new AppConfig();
  config.dataKey = Buffer.from(hexKey, 'hex');
  return new PersonalDataCipher(config);
}

describe('PersonalDataCipher', () => {
  const cipher = cipherWith('11'.repeat(32));
  const id = '11010519491231002X';

  it('encrypts with a fresh IV each time and decrypts back', () => {
    const a = cipher.encrypt(id);
    const b = cipher.encrypt(id);
    expect(a).not.toBe(b);
    expect(a).not.toContain('19491231');
    expect(cipher.decrypt(a)).toBe(id);
    expect(cipher.decrypt(b)).toBe(id);
  });

  it('refuses a value that was altered or written with another key', () => {
    const stored = Buffer.from(cipher.encrypt(id), 'base64');
    stored[stored.length - 1] ^= 1;
    expect(() => cipher.decrypt(stored.toString('base64'))).toThrow();
    expect(() => cipherWith('22'.repeat(32)).decrypt(cipher.encrypt(id))).toThrow();
  });

  it('hashes for lookups deterministically, per key and per kind', () => {
    expect(cipher.lookupHash('id', id)).toBe(cipher.lookupHash('id', id));
    expect(cipher.lookupHash('id', id)).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.lookupHash('phone', id)).not.toBe(cipher.lookupHash('id', id));
    expect(cipherWith('22'.repeat(32)).lookupHash('id', id)).not.toBe(cipher.lookupHash('id', id));
  });
});
