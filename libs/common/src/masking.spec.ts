import {
  maskAddress,
  maskEmail,
  maskIdNumber,
  maskName,
  maskPersonalDataInText,
  maskPhone,
} from './masking';

describe('personal data masking', () => {
  it('keeps the first character of a name and stars the rest', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('李小红')).toBe('李**');
    expect(maskName('欧阳小明')).toBe('欧***');
    expect(maskName(' 王五 ')).toBe('王*');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('*');
    // characters outside the BMP count as one
    expect(maskName('𠮷野家')).toBe('𠮷**');
    expect(maskName('Li Lei')).toBe('L* ***');
  });

  it('shows a mobile number as its first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(' 13812345678 ')).toBe('138****5678');
  });

  it('keeps a landline area code and the last four digits', () => {
    expect(maskPhone('0571-87654321')).toBe('0571-****4321');
    expect(maskPhone('010-1234567')).toBe('010-***4567');
    expect(maskPhone('057187654321')).toBe('057*****4321');
    expect(maskPhone('12345')).toBe('***45');
  });

  it('masks the mailbox name and keeps the domain', () => {
    expect(maskEmail('zhangsan@example.com')).toBe('z*******@example.com');
    expect(maskEmail('a@example.com')).toBe('*@example.com');
    expect(maskEmail('not-an-email')).not.toContain('not-an-email');
  });

  it('keeps at most the first six characters of an address, never more than half', () => {
    expect(maskAddress('河南省洛阳市栾川县城关镇幸福路8号')).toBe('河南省洛阳市****');
    expect(maskAddress('幸福路8号')).toBe('幸福****');
    expect(maskAddress('8号')).toBe('8****');
    expect(maskAddress('河南省洛阳市栾川县城关镇幸福路8号')).not.toContain('幸福路');
  });

  it('shows an ID number as its region code and last four characters', () => {
    expect(maskIdNumber('410423198001011234')).toBe('410423********1234');
    expect(maskIdNumber(' 41042319800101123x ')).toBe('410423********123X');
  });

  it('masks ID and mobile numbers inside free text such as a logged URL', () => {
    expect(maskPersonalDataInText('/api/v1/households?search=41042319800101123X&page=1')).toBe(
      '/api/v1/households?search=410423********123X&page=1',
    );
    expect(maskPersonalDataInText('/api/v1/households?search=13812345678')).toBe(
      '/api/v1/households?search=138****5678',
    );
    // card numbers, EAN-13 barcodes and ids are left alone
    expect(maskPersonalDataInText('/households/card/H4819302756')).toBe(
      '/households/card/H4819302756',
    );
    expect(maskPersonalDataInText('/products/barcode/6901234567892')).toBe(
      '/products/barcode/6901234567892',
    );
  });
});
