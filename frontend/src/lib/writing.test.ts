import { describe, expect, it } from 'vitest';
import {
  base64,
  fieldsLeft,
  fileProblem,
  filterCanned,
  insertAt,
  signatureBlock,
  slashOpensPicker,
  swapSignature,
  withSignature,
  type CannedReply,
} from './writing';

describe('signatures', () => {
  it('goes under "-- " for email, alone for chats, nowhere when empty', () => {
    expect(signatureBlock('Sam\r\nBluebird Bikes\n\n', true)).toBe('\n\n-- \nSam\nBluebird Bikes');
    expect(signatureBlock('— Sam', false)).toBe('\n\n— Sam');
    expect(signatureBlock('  \n', true)).toBe('');
  });

  it('sits below where the user writes, above a forwarded message', () => {
    const block = signatureBlock('Sam', true);
    expect(withSignature('', block)).toBe('\n\n-- \nSam');
    expect(withSignature('\n\n---------- Forwarded message ---------\nFrom: a', block)).toBe('\n\n-- \nSam\n\n---------- Forwarded message ---------\nFrom: a');
    expect(withSignature('x', '')).toBe('x');
  });

  it('swaps with the account and keeps what the user typed', () => {
    const a = signatureBlock('Sam\nShop A', true);
    const b = signatureBlock('Sam\nShop B', true);
    const body = 'Hello Ann,\nthe -- parts are in.' + a;
    expect(swapSignature(body, a, b)).toEqual({ body: 'Hello Ann,\nthe -- parts are in.' + b, swapped: true });
    // Text typed below the signature stays too.
    expect(swapSignature('Hi' + a + '\nP.S. thanks', a, b).body).toBe('Hi' + b + '\nP.S. thanks');
    // To an account without a signature: the block goes, the text stays.
    expect(swapSignature('Hi' + a, a, '').body).toBe('Hi');
    // From an account without one: added below the text, above a forward.
    expect(swapSignature('Hi  \n', '', b).body).toBe('Hi' + b);
    expect(swapSignature('Hi\n\n---------- Forwarded message ---------\nx', '', b).body).toBe('Hi' + b + '\n\n---------- Forwarded message ---------\nx');
  });

  it('leaves a signature the user edited alone', () => {
    const a = signatureBlock('Sam\nShop A', true);
    const edited = 'Hi\n\n-- \nSam (on holiday)\nShop A';
    expect(swapSignature(edited, a, signatureBlock('Shop B', true))).toEqual({ body: edited, swapped: false });
  });
});

describe('canned replies', () => {
  const list: CannedReply[] = [
    { id: '1', name: 'Refund policy', body: 'Refunds take {days} days', fields: [] },
    { id: '2', name: 'Thanks', body: 'Thanks {first_name}, your refund is on its way', fields: ['first_name'] },
    { id: '3', name: 'Shipping', body: 'Parcels leave on Mondays', fields: [] },
  ];

  it('filters by every word in name or text, names starting with the query first', () => {
    expect(filterCanned(list, '').map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(filterCanned(list, 'refund').map((c) => c.id)).toEqual(['1', '2']);
    expect(filterCanned(list, 'thanks refund').map((c) => c.id)).toEqual(['2']);
    expect(filterCanned(list, 'ship').map((c) => c.id)).toEqual(['3']);
    expect(filterCanned(list, 'way').map((c) => c.id)).toEqual(['2']);
    expect(filterCanned(list, 'nothing like it')).toEqual([]);
  });

  it('inserts at the cursor or over the selection', () => {
    expect(insertAt('Hi \n\n-- \nSam', 3, 3, 'Ann')).toEqual({ body: 'Hi Ann\n\n-- \nSam', cursor: 6 });
    expect(insertAt('Hi XX!', 3, 5, 'Ann')).toEqual({ body: 'Hi Ann!', cursor: 6 });
    expect(insertAt('ab', 10, 12, 'c')).toEqual({ body: 'abc', cursor: 3 });
  });

  it('opens on "/" at the start of a line only', () => {
    expect(slashOpensPicker('', 0)).toBe(true);
    expect(slashOpensPicker('Hi\n', 3)).toBe(true);
    expect(slashOpensPicker('and', 3)).toBe(false);
  });

  it('finds fields still to fill', () => {
    expect(fieldsLeft('Hi {first_name}, mail {email} {email}', ['first_name', 'email', 'agent_name'])).toEqual(['first_name', 'email']);
    expect(fieldsLeft('Hi Ann', ['first_name'])).toEqual([]);
  });
});

describe('attachments', () => {
  const s = {
    noFiles: (c: string) => `no files on ${c}`,
    empty: (n: string) => `${n} is empty`,
    tooLarge: (n: string, size: string, c: string, limit: string) => `${n} is ${size}; ${c} takes ${limit}`,
    tooMuch: (total: string, limit: string) => `${total} of ${limit}`,
  };
  const email = { attachments: true, limit: 25 * 1024 * 1024, email: true, channel: 'email' };

  it('says why a file cannot go, with sizes', () => {
    expect(fileProblem({ name: 'a.pdf', size: 1000 }, [], email, s)).toBe('');
    expect(fileProblem({ name: 'v.mp4', size: 26 * 1024 * 1024 }, [], email, s)).toBe('v.mp4 is 26 MB; email takes 25 MB');
    expect(fileProblem({ name: 'b', size: 15 * 1024 * 1024 }, [{ size: 11 * 1024 * 1024 }], email, s)).toBe('26 MB of 25 MB');
    // Chats count each file on its own.
    const tg = { attachments: true, limit: 50 * 1024 * 1024, email: false, channel: 'telegram' };
    expect(fileProblem({ name: 'b', size: 40 * 1024 * 1024 }, [{ size: 40 * 1024 * 1024 }], tg, s)).toBe('');
    expect(fileProblem({ name: 'x', size: 1 }, [], { ...tg, attachments: false }, s)).toBe('no files on telegram');
    expect(fileProblem({ name: 'e.txt', size: 0 }, [], email, s)).toBe('e.txt is empty');
  });

  it('encodes bytes as base64 in chunks', () => {
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    const back = Uint8Array.from(atob(base64(big)), (c) => c.charCodeAt(0));
    // Compared by hand: a deep toEqual of 100,000 elements takes seconds on a loaded machine.
    expect(back.length).toBe(big.length);
    expect(back.findIndex((v, i) => v !== big[i])).toBe(-1);
    expect(base64(new TextEncoder().encode('größe'))).toBe('Z3LDtsOfZQ==');
  });
});
