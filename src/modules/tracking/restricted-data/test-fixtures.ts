/** Helpers shared by this folder's tests (not used by the guard itself). */
import { luhnValid } from './payment-cards.js';

/** `prefix` padded with `fill` digits to len − 1, plus the Luhn check digit. */
export function withLuhn(prefix: string, len: number, fill = '0'): string {
  let body = prefix;
  for (let i = 0; body.length < len - 1; i++) body += fill[i % fill.length];
  for (let c = 0; c <= 9; c++) {
    const s = body + c;
    if (luhnValid(Array.from(s, Number), 0, s.length)) return s;
  }
  throw new Error('unreachable');
}

/** Split digits into groups of the given sizes, joined by `sep`. */
export function grouped(digits: string, sizes: readonly number[], sep = ' '): string {
  const parts: string[] = [];
  let at = 0;
  for (const n of sizes) {
    parts.push(digits.slice(at, at + n));
    at += n;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.filter((p) => p !== '').join(sep);
}

/** One valid example per brand and length, from the brand table's prefixes. */
export const BRAND_EXAMPLES: readonly { brand: string; pan: string }[] = [
  { brand: 'visa', pan: '4111111111111111' },
  { brand: 'visa', pan: '4012888888881881' },
  { brand: 'visa', pan: withLuhn('4', 19) },
  { brand: 'mastercard', pan: '5555555555554444' },
  { brand: 'mastercard', pan: '5105105105105100' },
  { brand: 'mastercard', pan: withLuhn('2221', 16) },
  { brand: 'mastercard', pan: withLuhn('2720', 16, '9') },
  { brand: 'mir', pan: '2200000000000004' },
  { brand: 'mir', pan: withLuhn('2204', 16, '1') },
  { brand: 'amex', pan: '378282246310005' },
  { brand: 'amex', pan: '371449635398431' },
  { brand: 'amex', pan: withLuhn('34', 15, '7') },
  { brand: 'discover', pan: '6011111111111117' },
  { brand: 'discover', pan: '6011000990139424' },
  { brand: 'discover', pan: withLuhn('644', 16, '3') },
  { brand: 'discover', pan: withLuhn('65', 19, '2') },
  { brand: 'jcb', pan: '3530111333300000' },
  { brand: 'jcb', pan: '3566002020360505' },
  { brand: 'jcb', pan: withLuhn('3589', 19, '1') },
  { brand: 'diners', pan: '30569309025904' },
  { brand: 'diners', pan: '38520000023237' },
  { brand: 'diners', pan: '36227206271667' },
  { brand: 'diners', pan: withLuhn('3095', 16, '8') },
  { brand: 'unionpay', pan: '6200000000000005' },
  { brand: 'unionpay', pan: withLuhn('62', 19, '45') },
  { brand: 'maestro', pan: '6759649826438453' },
  { brand: 'maestro', pan: withLuhn('5018', 16, '3') },
  { brand: 'maestro', pan: withLuhn('6304', 19, '6') },
  { brand: 'maestro', pan: withLuhn('58', 18, '27') },
];
