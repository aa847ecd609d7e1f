import { Lazy, Token } from 'aws-cdk-lib';
import { mergeSettings, unionOf } from '../../src/mixins/merge';

describe('unionOf', () => {
  test('keeps existing entries first and appends only new ones', () => {
    expect(unionOf(['a', 'b'], ['b', 'c', 'a', 'd'])).toEqual(['a', 'b', 'c', 'd']);
  });

  test('returns the other side when one is missing', () => {
    expect(unionOf(undefined, ['x'])).toEqual(['x']);
    expect(unionOf(['x'], undefined)).toEqual(['x']);
    expect(unionOf(undefined, undefined)).toBeUndefined();
  });
});

describe('mergeSettings', () => {
  test('returns the added settings when there are none yet', () => {
    const added = { a: 1, list: ['x'] };
    expect(mergeSettings(undefined, added)).toEqual(added);
  });

  test('keeps scalars already set, fills missing ones and unions lists', () => {
    const existing = { keep: 1, missing: undefined as number | undefined, list: ['a'] };
    const merged = mergeSettings(existing, { keep: 2, missing: 3, list: ['b', 'a'], extra: true } as any);
    expect(merged).toEqual({ keep: 1, missing: 3, list: ['a', 'b'], extra: true });
  });

  test('keeps a false or zero already set', () => {
    expect(mergeSettings({ flag: false, n: 0 }, { flag: true, n: 5 })).toEqual({ flag: false, n: 0 });
  });

  test('does not change the existing object', () => {
    const existing = { list: ['a'] };
    mergeSettings(existing, { list: ['b'] });
    expect(existing).toEqual({ list: ['a'] });
  });

  test('returns undefined when the existing settings are a token', () => {
    expect(mergeSettings(Lazy.any({ produce: () => ({}) }), { a: 1 })).toBeUndefined();
  });

  test('returns undefined when an existing list is a list token, which cannot be extended', () => {
    const existing = { list: Token.asList(Lazy.any({ produce: () => ['a'] })) };
    expect(mergeSettings(existing, { list: ['b'] })).toBeUndefined();
  });

  test('unions a list that holds a string token as one of its entries', () => {
    const origin = Lazy.string({ produce: () => 'https://a.example.com' });
    expect(mergeSettings({ list: [origin] }, { list: ['b'] })).toEqual({ list: [origin, 'b'] });
  });
});
