import { IResolvable, Token } from 'aws-cdk-lib';

/** Existing entries first, then the added ones not already there. */
export function unionOf(existing: string[] | undefined, added: string[] | undefined): string[] | undefined {
  if (!existing) return added;
  if (!added) return existing;
  return [...existing, ...added.filter((x) => !existing.includes(x))];
}

/**
 * Merges `added` into `existing` without clobbering: arrays are unioned, scalars already set are kept.
 * Returns undefined when `existing`, or a list in it, is an unresolved token, which cannot be merged.
 */
export function mergeSettings<T extends object>(existing: T | IResolvable | undefined, added: T): T | undefined {
  if (existing === undefined) return added;
  if (Token.isUnresolved(existing)) return undefined;
  const merged = { ...(existing as T) } as Record<string, unknown>;
  for (const [key, value] of Object.entries(added)) {
    const current = merged[key];
    if (Array.isArray(current) && Array.isArray(value)) {
      if (Token.isUnresolved(current)) return undefined;
      merged[key] = unionOf(current, value);
    } else if (current === undefined) {
      merged[key] = value;
    }
  }
  return merged as T;
}
