// 大写金额: the amount in words that Chinese receipts and cheques print beside the figures, written
// as the 《支付结算办法》 prescribes for 人民币.

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/** Units inside a group of four digits, from the thousands down. */
const GROUP_UNITS = ['仟', '佰', '拾', ''];
/** Units of the groups of four digits, from the highest down. */
const GROUP_NAMES = ['亿', '万', ''];

/** 9999 亿 9999 万 9999 元 9 角 9 分; larger amounts would need 兆 and no receipt holds them. */
export const MAX_CHINESE_CAPITALS_FEN = 99_999_999_999_999;

/**
 * The amount in Chinese capitals (without the 人民币 prefix), exact for every whole number of fen
 * from 0 to `MAX_CHINESE_CAPITALS_FEN`: 123450 → 壹仟贰佰叁拾肆元伍角, 100100 → 壹仟零壹元整,
 * 10005 → 壹佰元零伍分, 1 → 壹分, 0 → 零元整.
 *
 * Zeros follow the spoken form: a run of zeros inside the yuan is one 零 (壹仟零壹元), zeros at
 * the end of a 万 or 亿 group are silent (壹佰万壹仟元), and 零 stands between 元 and 分 when there
 * are no 角 (壹元零伍分). 整 closes an amount without 角 and 分. Ten is always 壹拾, never a bare
 * 拾, as financial writing requires: a digit could be written in front of a bare 拾.
 */
export function amountInChineseCapitals(fen: number): string {
  assertFen(fen, MAX_CHINESE_CAPITALS_FEN);
  const cents = fen % 100;
  const yuan = (fen - cents) / 100;
  const jiao = Math.floor(cents / 10);
  const fenDigit = cents % 10;

  const yuanText = yuan > 0 ? `${yuanInCapitals(yuan)}元` : '';
  if (cents === 0) return yuan > 0 ? `${yuanText}整` : '零元整';
  // Amounts under one yuan start at their first non-zero unit: 伍角, 壹分.
  const jiaoText = jiao > 0 ? `${DIGITS[jiao]}角` : yuan > 0 ? '零' : '';
  const fenText = fenDigit > 0 ? `${DIGITS[fenDigit]}分` : '';
  return `${yuanText}${jiaoText}${fenText}`;
}

/**
 * Fen as yuan with thousands separators and two decimals: 123450 → '1,234.50'. Integer
 * arithmetic throughout, so no amount is ever off by a fen.
 */
export function formatYuan(fen: number): string {
  assertFen(fen, Number.MAX_SAFE_INTEGER);
  const cents = fen % 100;
  const yuan = String((fen - cents) / 100).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${yuan}.${String(cents).padStart(2, '0')}`;
}

function yuanInCapitals(yuan: number): string {
  const groups = String(yuan).padStart(12, '0').match(/\d{4}/g) ?? [];
  let text = '';
  let zeroPending = false;
  groups.forEach((group, g) => {
    if (group === '0000') {
      // A whole empty group reads as one 零 before whatever non-zero digit follows it.
      zeroPending = text !== '';
      return;
    }
    [...group].forEach((char, u) => {
      const digit = Number(char);
      if (digit === 0) {
        zeroPending ||= text !== '';
      } else {
        text += `${zeroPending ? '零' : ''}${DIGITS[digit]}${GROUP_UNITS[u]}`;
        zeroPending = false;
      }
    });
    text += GROUP_NAMES[g];
    // Zeros closing a group are not read: 壹拾万柒仟, not 壹拾万零柒仟.
    zeroPending = false;
  });
  return text;
}

function assertFen(fen: number, max: number): void {
  if (!Number.isInteger(fen) || fen < 0 || fen > max) {
    throw new RangeError(`金额必须是 0 到 ${max} 之间的整数（单位：分），收到 ${fen}`);
  }
}
