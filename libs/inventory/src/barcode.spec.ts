import {
  classifyBarcode,
  ean13CheckDigit,
  ean8CheckDigit,
  internalCodeFor,
  isInStoreCode,
  isValidEan13,
  isValidEan8,
  printableCodeFor,
} from './barcode';
import { InvalidBarcodeError } from './inventory-errors';

function invalidReason(code: string): string {
  try {
    classifyBarcode(code);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidBarcodeError);
    const invalid = error as InvalidBarcodeError;
    expect(invalid.code).toBe('INVALID_BARCODE');
    expect(invalid.details).toMatchObject({ barcode: code });
    return invalid.message;
  }
  throw new Error(`${code} was accepted`);
}

describe('barcode', () => {
  describe('EAN-13', () => {
    // 4006381333931: the textbook GS1 example; 9787111213826: an ISBN-13 (机械工业出版社)
    it.each(['4006381333931', '6901234567892', '9787111213826', '0012345678905'])(
      'accepts %s',
      (code) => {
        expect(isValidEan13(code)).toBe(true);
        expect(classifyBarcode(code)).toBe('ean13');
      },
    );

    it('computes the check digit of the first twelve digits', () => {
      expect(ean13CheckDigit('400638133393')).toBe(1);
      expect(ean13CheckDigit('690123456789')).toBe(2);
      expect(ean13CheckDigit('000000000000')).toBe(0);
      expect(() => ean13CheckDigit('69012345678')).toThrow(RangeError);
    });

    it.each([
      ['4006381333932', 1, 2],
      ['6901234567890', 2, 0],
      ['9787111213823', 6, 3],
    ])('refuses %s, naming check digit %i instead of %i', (code, expected, actual) => {
      expect(isValidEan13(code)).toBe(false);
      expect(invalidReason(code)).toContain(`EAN-13 校验位应为 ${expected}，实际为 ${actual}`);
    });
  });

  describe('EAN-8', () => {
    it.each(['96385074', '73513537', '40170725'])('accepts %s', (code) => {
      expect(isValidEan8(code)).toBe(true);
      expect(classifyBarcode(code)).toBe('ean8');
    });

    it('computes the check digit with the weights starting at 3', () => {
      expect(ean8CheckDigit('9638507')).toBe(4);
      expect(ean8CheckDigit('1234567')).toBe(0);
    });

    it('refuses a wrong check digit, naming the right one', () => {
      expect(invalidReason('96385075')).toContain('EAN-8 校验位应为 4，实际为 5');
    });
  });

  describe('Code 128', () => {
    it.each(['QS-RICE-5KG', 'A', '690123456789', 'ab cd/12', 'X'.repeat(48)])(
      'accepts %s',
      (code) => expect(classifyBarcode(code)).toBe('code128'),
    );

    it.each([
      ['', '不能为空'],
      ['X'.repeat(49), '最多 48 个字符'],
      ['大米5kg', 'ASCII'],
      ['ABC\t1', 'ASCII'],
      [' ABC', '首尾不能有空格'],
      ['ABC ', '首尾不能有空格'],
    ])('refuses %j (%s)', (code, reason) => {
      expect(invalidReason(code)).toContain(reason);
    });
  });

  describe('internal codes', () => {
    it('is 21, the id in ten digits and a valid check digit', () => {
      expect(internalCodeFor(1)).toBe('2100000000012');
      expect(internalCodeFor(42)).toBe('2100000000425');
      expect(internalCodeFor(4_294_967_295)).toBe('2142949672950');
      for (const id of [1, 42, 999, 123456, 4_294_967_295]) {
        const code = internalCodeFor(id);
        expect(code).toHaveLength(13);
        expect(isValidEan13(code)).toBe(true);
        expect(isInStoreCode(code)).toBe(true);
        expect(Number(code.slice(2, 12))).toBe(id);
      }
    });

    it('refuses ids that are not positive integers', () => {
      for (const id of [0, -1, 1.5, 10_000_000_000]) {
        expect(() => internalCodeFor(id)).toThrow(RangeError);
      }
    });

    it('tells the in-store range from manufacturers’ codes', () => {
      expect(isInStoreCode('6901234567892')).toBe(false);
      expect(isInStoreCode('2100000000016')).toBe(false);
    });
  });

  describe('the code a label prints', () => {
    const internalCode = internalCodeFor(7);

    it('prints the goods’ EAN-13, else their Code 128, else the internal code', () => {
      expect(printableCodeFor({ barcode: '6901234567892', internalCode })).toEqual({
        code: '6901234567892',
        codeType: 'ean13',
      });
      expect(printableCodeFor({ barcode: 'QS-RICE-5KG', internalCode })).toEqual({
        code: 'QS-RICE-5KG',
        codeType: 'code128',
      });
      expect(printableCodeFor({ barcode: '96385074', internalCode })).toEqual({
        code: internalCode,
        codeType: 'ean13',
      });
      expect(printableCodeFor({ barcode: null, internalCode })).toEqual({
        code: internalCode,
        codeType: 'ean13',
      });
      expect(printableCodeFor({ barcode: null, internalCode: null })).toBeNull();
    });
  });
});
