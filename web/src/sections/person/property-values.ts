/**
 * Properties are typed JSON values; the editor shows them as one line of text. Text that reads as
 * JSON (42, true, {"a":1}, "quoted") is that value; anything else is a string. Strings that would
 * read as something else are shown quoted, so every value survives an edit unchanged.
 */
export function valueToText(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  try {
    JSON.parse(value);
    return JSON.stringify(value); // "42", "true", "null": keep them strings
  } catch {
    return value;
  }
}

export function textToValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
