import { pinyin } from 'pinyin-pro';

/**
 * Toneless pinyin of a name, syllables separated by spaces, lower case (`张三` → `zhang san`).
 * For a person's name the first character is read as a surname (单 shan, 曾 zeng, 解 xie).
 */
export function pinyinKey(name: string, personName = false): string {
  return pinyin(name, {
    toneType: 'none',
    type: 'array',
    v: true,
    nonZh: 'consecutive',
    ...(personName ? { mode: 'surname' as const, surname: 'head' as const } : {}),
  })
    .join(' ')
    .toLowerCase();
}

/**
 * Orders Chinese names as people expect in a list (阿 < 白 < 陈 < 张): by toneless pinyin, and
 * names that read the same by the characters themselves, so the order is always the same.
 */
export function comparePinyin(
  a: { key: string; name: string },
  b: { key: string; name: string },
): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}
