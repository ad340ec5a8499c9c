import { AppConfig } from '@charity/config';
import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Households' ID numbers and phones at rest: AES-256-GCM with a random IV per value, and an
 * HMAC-SHA256 "blind index" so a value can be found and kept unique without being decrypted.
 * Both keys are derived from DATA_KEY, so the lookup hash is not a function of the cipher key.
 */
@Injectable()
export class PersonalDataCipher {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(config: AppConfig) {
    this.encryptionKey = derive(config.dataKey, 'households:encryption');
    this.lookupKey = derive(config.dataKey, 'households:lookup');
  }

  /** base64(iv ‖ tag ‖ ciphertext). */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /** Throws when the value was not written with this key or has been altered. */
  decrypt(stored: string): string {
    const data = Buffer.from(stored, 'base64');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.encryptionKey,
      data.subarray(0, IV_BYTES),
    );
    decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(data.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Keyed hash of a normalised value; `kind` keeps an ID number and a phone from colliding. */
  lookupHash(kind: 'id' | 'phone', normalized: string): string {
    return createHmac('sha256', this.lookupKey).update(`${kind}:${normalized}`).digest('hex');
  }
}

function derive(key: Buffer, purpose: string): Buffer {
  return createHmac('sha256', key).update(purpose).digest();
}
