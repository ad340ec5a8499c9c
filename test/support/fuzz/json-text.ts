/**
 * JSON text the fuzz suite sends verbatim: `JSON.stringify` cannot write `-0`, `1e400` or
 * 2^53 + 1 as themselves, nor a body 5,000 levels deep without recursing that far.
 */
export class RawJson {
  constructor(
    readonly text: string,
    /** How the case list names it (the text may be 100k characters). */
    readonly name: string = text,
  ) {}
}

/** Objects keep own keys such as `__proto__` (made with a computed key) as JSON.stringify does. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value).map(
      (key) => `${JSON.stringify(key)}:${toJsonText((value as Record<string, unknown>)[key])}`,
    );
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short name for a value in a case label. */
export function describeValue(value: unknown): string {
  if (value instanceof RawJson) return value.name;
  if (typeof value === 'string' && value.length > 24) {
    return `"${value.slice(0, 8)}…"×${value.length}`;
  }
  const text = toJsonText(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** `{"a":{"a":…{}…}}` `depth` levels deep, as text. */
export function deeplyNested(depth: number): RawJson {
  return new RawJson(`${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`, `{"a":…} depth ${depth}`);
}

/** `[[[…]]]` `depth` levels deep, as text. */
export function deeplyNestedArray(depth: number): RawJson {
  return new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`, `[[…]] depth ${depth}`);
}
