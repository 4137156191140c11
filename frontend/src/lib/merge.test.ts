import { describe, expect, it } from 'vitest';
import { mergeChoices, mergePair } from './merge';
import type { ConversationView } from './types';

function conv(id: string, subject: string, at: string, name = 'Alice'): ConversationView {
  return {
    id,
    subject,
    status: 'open',
    channel: 'email',
    contact: { id: 'ct_' + name, name, identities: [{ channel: 'email', address: name.toLowerCase() + '@example.com' }] },
    message_count: 1,
    unread_count: 0,
    last_message_at: at,
    preview: 'preview of ' + subject,
    labels: [],
  };
}

describe('mergeChoices', () => {
  const cur = conv('c1', 'Order 1001', '2026-11-20T10:00:00Z');
  const mine = [cur, conv('c2', 'Order 1001 again', '2026-11-21T10:00:00Z'), conv('c3', 'Invoice', '2026-11-01T10:00:00Z')];
  const recent = [conv('c2', 'Order 1001 again', '2026-11-21T10:00:00Z'), conv('c9', 'Refund', '2026-11-25T10:00:00Z', 'Bob'), cur];

  it('offers the customer first, then recent ones, each once and never the current one', () => {
    const r = mergeChoices('c1', mine, recent, '');
    expect(r.customer.map((c) => c.id)).toEqual(['c2', 'c3']);
    expect(r.others.map((c) => c.id)).toEqual(['c9']);
  });

  it('filters the customer list by subject, name, preview or address', () => {
    expect(mergeChoices('c1', mine, [], 'INVOICE').customer.map((c) => c.id)).toEqual(['c3']);
    expect(mergeChoices('c1', mine, [], 'alice@').customer.map((c) => c.id)).toEqual(['c2', 'c3']);
    expect(mergeChoices('c1', mine, [], 'zzz').customer).toEqual([]);
  });

  it('keeps search results as found (they may match in the body)', () => {
    const found = [conv('c7', 'Something else', '2026-11-24T10:00:00Z', 'Carol')];
    expect(mergeChoices('c1', mine, found, 'tracking number').others.map((c) => c.id)).toEqual(['c7']);
  });

  it('stops at the limit', () => {
    const many = Array.from({ length: 50 }, (_, i) => conv('x' + i, 'S' + i, '2026-11-01T10:00:00Z', 'Bob'));
    expect(mergeChoices('c1', [], many, '', 10).others).toHaveLength(10);
  });
});

describe('mergePair', () => {
  it('merges the older conversation into the newer one', () => {
    const old = conv('a', 'old', '2026-11-01T10:00:00Z');
    const fresh = conv('b', 'new', '2026-11-02T10:00:00Z');
    expect(mergePair(old, fresh)).toEqual({ into: fresh, from: old });
    expect(mergePair(fresh, old)).toEqual({ into: fresh, from: old });
  });
  it('is stable when both are as new', () => {
    const a = conv('a', 'x', '2026-11-01T10:00:00Z');
    const b = conv('b', 'y', '2026-11-01T10:00:00Z');
    expect(mergePair(a, b).into.id).toBe(mergePair(b, a).into.id);
  });
});

describe('the merge key', () => {
  it('is m, outside text fields', async () => {
    const { KeyMap } = await import('./keys');
    expect(new KeyMap().action({ key: 'm' })).toBe('merge');
    expect(new KeyMap().action({ key: 'm', inField: true })).toBe(null);
  });
});
