import { integerFromText } from './integer-text';

describe('integerFromText', () => {
  it.each([
    ['1', 1],
    ['0', 0],
    ['-3', -3],
    ['4294967295', 4_294_967_295],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %j', (text, number) => {
    expect(integerFromText(text)).toBe(number);
  });

  it.each([
    '',
    ' ',
    ' 12',
    '12 ',
    '1e20',
    '1E3',
    '1.5',
    '1.0',
    '012',
    '-0',
    '+1',
    '0x1F',
    '0b1',
    'Infinity',
    'NaN',
    '１２',
    '9007199254740993',
    '100000000000000000000',
  ])('leaves %j as text for IsInt to refuse', (text) => {
    expect(integerFromText(text)).toBe(text);
  });

  it('leaves what is not text alone', () => {
    expect(integerFromText(['1', '2'])).toEqual(['1', '2']);
    expect(integerFromText(true)).toBe(true);
    expect(integerFromText(undefined)).toBeUndefined();
    expect(integerFromText(7)).toBe(7);
  });
});
