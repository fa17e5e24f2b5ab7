/**
 * The first `max` UTF-16 units of `value`, never half of a surrogate pair: a lone half would be
 * refused by PostgreSQL, or stored as a replacement character.
 */
export function cutText(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
