import { describe, expect, it } from 'vitest';
import {
  customerTimeline,
  limitNotes,
  replyRefusal,
  replyWindow,
  size,
  span,
  textCount,
  type Capabilities,
  type CustomerView,
  type ReplyOption,
} from './channels';

const H = 3600e9; // one hour in nanoseconds (Go's time.Duration)
const caps = (extra: Partial<Capabilities> = {}): Capabilities => ({
  threads: false,
  attachments: true,
  read_receipts: false,
  edits: true,
  quotes: true,
  reply_window: 0,
  max_text_length: 4096,
  max_upload_size: 50 << 20,
  max_download_size: 20 << 20,
  ...extra,
});
const now = new Date('2026-11-26T12:00:00Z');
const opt = (extra: Partial<ReplyOption> = {}): ReplyOption => ({
  conversation_id: 'c1',
  account_id: 'a1',
  account_name: 'Shop bot',
  channel: 'telegram',
  address: '42',
  last_inbound: '2026-11-25T09:00:00Z',
  default: true,
  capabilities: caps(),
  ...extra,
});
const business = (closes: string) => opt({ capabilities: caps({ reply_window: 24 * H }), window_closes_at: closes });

describe('size and span', () => {
  it('write bytes and durations as the backend does', () => {
    expect(size(50 << 20)).toBe('50 MB');
    expect(size(25 << 20)).toBe('25 MB');
    expect(size(800 << 10)).toBe('800 KB');
    expect(size(12)).toBe('12 bytes');
    expect(span(3 * 3600e3)).toBe('3 h');
    expect(span(40 * 60e3)).toBe('40 min');
    expect(span(10e3)).toBe('1 min');
  });
});

describe('replyWindow', () => {
  it('is null for a channel without a window', () => {
    expect(replyWindow(opt(), now)).toBeNull();
  });
  it('says when an open window closes', () => {
    expect(replyWindow(business('2026-11-26T17:00:00Z'), now)).toEqual({ length: '24 h', open: true, text: 'reply window closes in 5 h' });
  });
  it('says how long ago a window closed', () => {
    expect(replyWindow(business('2026-11-26T09:00:00Z'), now)).toEqual({ length: '24 h', open: false, text: 'reply window closed 3 h ago' });
  });
  it('is closed when the customer never wrote there (Go zero time)', () => {
    expect(replyWindow(business('0001-01-01T00:00:00Z'), now)?.open).toBe(false);
  });
});

describe('limitNotes and textCount', () => {
  it('lists the text and file limits', () => {
    expect(limitNotes(opt())).toEqual(['up to 4,096 characters', 'files up to 50 MB']);
    expect(limitNotes(opt({ capabilities: caps({ max_text_length: 0, max_upload_size: 25 << 20 }) }))).toEqual(['files up to 25 MB']);
    expect(limitNotes(opt({ capabilities: caps({ attachments: false }) }))).toContain('no files');
    expect(limitNotes(opt({ capabilities: undefined }))).toEqual([]);
  });
  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(textCount(opt(), 'héllo 👋')).toEqual({ text: '7 / 4,096', over: false });
    expect(textCount(opt(), 'x'.repeat(4097))).toEqual({ text: '4,097 / 4,096', over: true });
    expect(textCount(opt({ capabilities: caps({ max_text_length: 0 }) }), 'x')).toBeNull();
    expect(textCount(null, 'x')).toBeNull();
  });
});

describe('replyRefusal', () => {
  it('accepts what fits', () => {
    expect(replyRefusal(opt(), 'Hello', [{ name: 'a.pdf', size: 1000 }], now)).toBe('');
    expect(replyRefusal(business('2026-11-26T13:00:00Z'), 'Hello', [], now)).toBe('');
    expect(replyRefusal(null, 'x')).toBe('');
  });
  it('refuses text over the limit with both numbers', () => {
    expect(replyRefusal(opt(), 'x'.repeat(4100), [], now)).toBe(
      'Telegram allows 4,096 characters in a message; this reply has 4,100. Shorten it or split it in two.',
    );
  });
  it('refuses a file over the upload size, naming it', () => {
    expect(replyRefusal(opt(), 'x', [{ name: 'film.mp4', size: 60 << 20 }], now)).toBe('film.mp4 is 60 MB; Telegram accepts files up to 50 MB.');
    expect(replyRefusal(opt({ capabilities: caps({ attachments: false }) }), 'x', [{ name: 'a', size: 1 }], now)).toBe('Telegram cannot carry files.');
  });
  it('refuses after the reply window closed, saying when', () => {
    expect(replyRefusal(business('2026-11-26T09:00:00Z'), 'Hello', [], now)).toBe(
      "Telegram allows replies only within 24 h of the customer's last message (reply window closed 3 h ago). Answer on another of their channels.",
    );
  });
  it('refuses on an account that cannot send, with why', () => {
    expect(replyRefusal(opt({ problem: 'the bot token is missing (add the account again)', capabilities: undefined }), 'Hi', [], now)).toBe(
      'Shop bot cannot send right now: the bot token is missing (add the account again)',
    );
  });
});

describe('customerTimeline', () => {
  const msg = (id: string, channel: string, date: string, text: string, direction: 'in' | 'out' = 'in') => ({
    conversation_id: `conv-${channel}`,
    channel,
    message: { id, direction, channel, from: '', to: [], date, subject: '', text, message_id: '', auto: false, read: true, attachments: [] },
  });
  const view = {
    contact: { id: 'ct', name: 'Ana', identities: [] },
    conversations: [
      { id: 'conv-email', subject: 'Order #1001' },
      { id: 'conv-telegram', subject: '' },
    ],
    timeline: [
      msg('m1', 'email', '2026-11-20T09:00:00Z', 'Where is\n my   order?'),
      msg('m2', 'email', '2026-11-20T10:00:00Z', 'On its way', 'out'),
      msg('m3', 'telegram', '2026-11-21T08:00:00Z', 'x'.repeat(200)),
    ],
  } as unknown as CustomerView;
  it('lists every channel newest first with its conversation', () => {
    const items = customerTimeline(view);
    expect(items.map((i) => [i.id, i.channel, i.conversationID, i.direction])).toEqual([
      ['m3', 'telegram', 'conv-telegram', 'in'],
      ['m2', 'email', 'conv-email', 'out'],
      ['m1', 'email', 'conv-email', 'in'],
    ]);
    expect(items[2].subject).toBe('Order #1001');
    expect(items[2].snippet).toBe('Where is my order?');
    expect(items[0].snippet).toHaveLength(120);
  });
  it('keeps the newest up to the limit', () => {
    expect(customerTimeline(view, 2).map((i) => i.id)).toEqual(['m3', 'm2']);
    expect(customerTimeline(null)).toEqual([]);
  });
});
