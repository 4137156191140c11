import { describe, expect, it } from 'vitest';
import { addressOf, badAddresses, joinAddresses, splitAddresses } from './addresses';

describe('splitAddresses', () => {
  const cases: [string, string, string[]][] = [
    ['one', 'ann@x.example', ['ann@x.example']],
    ['names and commas in quotes', 'Ann <ann@x.example>, "Lee, Grace" <g@x.example>; b@y.example', ['Ann <ann@x.example>', '"Lee, Grace" <g@x.example>', 'b@y.example']],
    ['empty parts dropped', ' , ann@x.example,, ', ['ann@x.example']],
    ['empty field', '', []],
  ];
  for (const [name, input, want] of cases) it(name, () => expect(splitAddresses(input)).toEqual(want));
});

describe('badAddresses', () => {
  it('finds what is not an address', () => {
    expect(badAddresses('Ann <ann@x.example>, bob, c@d')).toEqual(['bob', 'c@d']);
  });
  it('accepts a clean field', () => expect(badAddresses('"Lee, Grace" <g@x.example>')).toEqual([]));
});

describe('addressOf and joinAddresses', () => {
  it('takes the address out of a name', () => expect(addressOf('Ann <ann@x.example>')).toBe('ann@x.example'));
  it('round-trips', () => expect(splitAddresses(joinAddresses(['a@x.example', 'B <b@x.example>']))).toEqual(['a@x.example', 'B <b@x.example>']));
});
