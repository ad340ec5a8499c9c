import { nestsDeeperThan } from './json-depth';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const objects = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
const arrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, mixed, up to the limit and refuses one more', () => {
    expect(nestsDeeperThan(utf8(objects(32)), 32)).toBe(false);
    expect(nestsDeeperThan(utf8(objects(33)), 32)).toBe(true);
    expect(nestsDeeperThan(utf8(arrays(32)), 32)).toBe(false);
    expect(nestsDeeperThan(utf8(arrays(33)), 32)).toBe(true);
    expect(nestsDeeperThan(utf8('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(nestsDeeperThan(utf8('{"a":[{"b":[[1]]}]}'), 4)).toBe(true);
  });

  it('measures depth, not how many containers a body has', () => {
    const wide = JSON.stringify({ lines: Array.from({ length: 10_000 }, () => ({ a: [1, 2] })) });
    expect(nestsDeeperThan(utf8(wide), 4)).toBe(false);
    expect(nestsDeeperThan(utf8(wide), 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: '[[[[{{{{"\\"]]]]', name: '"[' + '['.repeat(100) });
    expect(nestsDeeperThan(utf8(text), 1)).toBe(false);
    expect(nestsDeeperThan(utf8('{"a\\"[[[":{"b":1}}'), 2)).toBe(false);
    // a string ending in an escaped backslash is closed by the quote after it
    expect(nestsDeeperThan(utf8('{"a":"\\\\","b":[[1]]}'), 2)).toBe(true);
    expect(nestsDeeperThan(utf8('{"a":"\\\\","b":[[1]]}'), 3)).toBe(false);
  });

  it('is not fooled by brackets after multi-byte characters', () => {
    expect(nestsDeeperThan(utf8(`{"名称":"${'爱心'.repeat(50)}[[[["}`), 1)).toBe(false);
    expect(nestsDeeperThan(utf8(`{"名":[[["超市"]]]}`), 3)).toBe(true);
  });

  it('walks a 2 MB body of nothing but brackets without recursion', () => {
    expect(nestsDeeperThan(utf8(arrays(1_000_000)), 32)).toBe(true);
    expect(nestsDeeperThan(utf8(']'.repeat(2_000_000)), 32)).toBe(false);
  });
});
