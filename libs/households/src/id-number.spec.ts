import { idNumberCheckCharacter, idNumberProblem, withCheckCharacter } from './id-number';

const TODAY = '2026-11-22';

describe('居民身份证号码', () => {
  it('accepts numbers whose check character matches (GB 11643)', () => {
    // the standard's own example
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberProblem('11010519491231002X', TODAY)).toBeNull();
    expect(idNumberProblem('11010519491231002x', TODAY)).toBeNull();
    expect(idNumberProblem(withCheckCharacter('41042319800101123'), TODAY)).toBeNull();
  });

  it('says what is wrong with a bad number', () => {
    expect(idNumberProblem('110105194912310021', TODAY)).toContain('校验位');
    expect(idNumberProblem('1101051949123100', TODAY)).toContain('18位');
    expect(idNumberProblem('11010519491231002Y', TODAY)).toContain('18位');
    expect(idNumberProblem(withCheckCharacter('41042319801301123'), TODAY)).toContain('出生日期');
    expect(idNumberProblem(withCheckCharacter('41042319800230123'), TODAY)).toContain('出生日期');
    expect(idNumberProblem(withCheckCharacter('41042320270101123'), TODAY)).toContain('出生日期');
    expect(idNumberProblem(withCheckCharacter('01042319800101123'), TODAY)).toContain('地区码');
  });
});
