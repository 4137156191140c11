import { describe, expect, it } from 'vitest';
import { formatSize, shortAddress, timeline } from './timeline';
import { parseLayout } from './layout';
import type { ThreadView } from './types';

const msg = (id: string, date: string) => ({
  id,
  direction: 'in' as const,
  channel: 'email',
  from: 'a@x.example',
  to: [],
  date,
  subject: '',
  text: '',
  message_id: '',
  auto: false,
  read: true,
  attachments: [],
});

describe('timeline', () => {
  it('merges messages, notes and events oldest first', () => {
    const th: ThreadView = {
      id: 'c',
      subject: '',
      status: 'open',
      channel: 'email',
      contact: { id: '', name: '', identities: [] },
      labels: [],
      messages: [msg('m2', '2026-03-02T10:00:00Z'), msg('m1', '2026-03-01T10:00:00Z')],
      notes: [{ id: 'n1', body: 'x', created_at: '2026-03-01T12:00:00Z' }],
      events: [{ kind: 'status', detail: 'open → closed', at: '2026-03-02T10:00:00Z' }],
    };
    expect(timeline(th).map((i) => i.key)).toEqual(['m:m1', 'n:n1', 'm:m2', 'e:0:2026-03-02T10:00:00Z']);
  });
});

describe('formatSize', () => {
  const cases: [number, string][] = [
    [820, '820 B'],
    [14 * 1024, '14 KB'],
    [2.1 * 1024 * 1024, '2.1 MB'],
  ];
  for (const [n, want] of cases) it(want, () => expect(formatSize(n)).toBe(want));
});

describe('parseLayout', () => {
  it('falls back to defaults on garbage', () => {
    expect(parseLayout('{nope')).toEqual({ sidebar: 200, list: 360, customer: 260, customerHidden: false });
    expect(parseLayout('null').list).toBe(360);
  });
  it('clamps widths', () => {
    const l = parseLayout(JSON.stringify({ sidebar: 5, list: 99999, customer: 'x', customerHidden: true }));
    expect(l).toEqual({ sidebar: 150, list: 640, customer: 260, customerHidden: true });
  });
});

describe('shortAddress', () => {
  const cases: [string, string][] = [
    ['Grace Lee <grace@x.example>', 'Grace Lee'],
    ['"Lee, Grace" <grace@x.example>', 'Lee, Grace'],
    ['grace@x.example', 'grace@x.example'],
    ['<grace@x.example>', '<grace@x.example>'],
  ];
  for (const [a, want] of cases) it(a, () => expect(shortAddress(a)).toBe(want));
});
