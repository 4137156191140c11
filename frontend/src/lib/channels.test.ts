import { describe, expect, it } from 'vitest';
import {
  accountLines,
  byAccount,
  canPick,
  channelChoices,
  chatLine,
  hasChannel,
  mailLine,
  newMessage,
  replyKey,
  snippetForm,
  startReply,
  time,
  trimmed,
  withoutSuggestion,
  type ChatHealth,
  type MailStatus,
  type ReplyOption,
  type SuggestionView,
} from './channels';
import type { AccountView } from './types';

const acct = (id: string, channel: string, extra: Partial<AccountView> = {}): AccountView => ({
  id,
  name: `Acct ${id}`,
  channel,
  address: `${id}@shop.example`,
  settings: {},
  last_sync_at: '',
  last_error: '',
  ...extra,
});

const health = (state: string, extra: Partial<ChatHealth> = {}): ChatHealth => ({
  account_id: 'tg',
  name: 'Bot',
  channel: 'telegram',
  state,
  connected: state === 'connected',
  last_sync: '0001-01-01T00:00:00Z',
  last_error: '',
  hint: '',
  failures: 0,
  next_retry: '0001-01-01T00:00:00Z',
  ...extra,
});

const mail = (state: string, extra: Partial<MailStatus> = {}): MailStatus => ({
  account_id: 'm',
  name: 'Mail',
  state,
  done: 0,
  total: 0,
  last_sync_at: '',
  error: '',
  hint: '',
  retrying: true,
  ...extra,
});

describe('time', () => {
  it('turns Go zero times into ""', () => {
    expect(time('0001-01-01T00:00:00Z')).toBe('');
    expect(time(undefined)).toBe('');
    expect(time('2026-11-25T10:00:00Z')).toBe('2026-11-25T10:00:00Z');
  });
});

describe('chatLine', () => {
  const a = acct('tg', 'telegram', { last_sync_at: '2026-11-25T09:00:00Z' });
  const cases: { name: string; h: ChatHealth | undefined; state: string; retrying?: boolean; lastSync?: string }[] = [
    { name: 'no health yet keeps the overview', h: undefined, state: 'unknown', lastSync: '2026-11-25T09:00:00Z' },
    { name: 'connected', h: health('connected', { last_sync: '2026-11-25T10:00:00Z' }), state: 'connected', lastSync: '2026-11-25T10:00:00Z' },
    { name: 'connecting is syncing', h: health('connecting'), state: 'syncing', lastSync: '2026-11-25T09:00:00Z' },
    { name: 'retrying is offline and retries by itself', h: health('retrying', { last_error: 'network', next_retry: '2026-11-25T10:05:00Z' }), state: 'offline', retrying: true },
    { name: 'stopped with an error is an error', h: health('stopped', { last_error: '401 Unauthorized', hint: 'get a new token' }), state: 'error', retrying: false },
    { name: 'stopped without an error is offline', h: health('stopped'), state: 'offline' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const l = chatLine(a, c.h);
      expect(l.state).toBe(c.state);
      if (c.retrying !== undefined) expect(l.retrying).toBe(c.retrying);
      if (c.lastSync !== undefined) expect(l.lastSync).toBe(c.lastSync);
      expect(l.retry).toBe('chat');
    });
  }
  it('carries the error, the hint and the next retry', () => {
    const l = chatLine(a, health('retrying', { last_error: 'x', hint: 'wait', next_retry: '2026-11-25T10:05:00Z' }));
    expect([l.error, l.hint, l.nextRetry]).toEqual(['x', 'wait', '2026-11-25T10:05:00Z']);
  });
});

describe('mailLine', () => {
  const a = acct('m', 'email');
  it('passes the mail states through', () => {
    for (const s of ['syncing', 'idle', 'offline', 'error']) expect(mailLine(a, mail(s)).state).toBe(s);
    expect(mailLine(a, mail('weird')).state).toBe('unknown');
  });
  it('a stopped error does not retry by itself; idle never retries', () => {
    expect(mailLine(a, mail('error', { retrying: false, error: 'auth', hint: 'password' })).retrying).toBe(false);
    expect(mailLine(a, mail('offline', { retrying: true })).retrying).toBe(true);
    expect(mailLine(a, mail('idle', { retrying: true })).retrying).toBe(false);
  });
  it('shows progress and the error with what to do', () => {
    const l = mailLine(a, mail('error', { error: 'login refused', hint: 'enter the right password', done: 3, total: 9, last_sync_at: '2026-11-25T08:00:00Z' }));
    expect(l).toMatchObject({ error: 'login refused', hint: 'enter the right password', done: 3, total: 9, lastSync: '2026-11-25T08:00:00Z', retry: 'mail' });
  });
  it('carries the warning of a sign-in about to lapse, and none without one', () => {
    const w = 'Shop: the sign-in expires on 4 Mar 2026';
    expect(mailLine(a, mail('idle', { warning: w })).warning).toBe(w);
    expect(mailLine(a, mail('idle')).warning).toBe('');
  });
});

describe('accountLines', () => {
  it('demo accounts say demo, have no retry and ignore live status', () => {
    const demo = acct('d', 'email', { settings: { demo: true }, last_error: 'ignored' });
    const [l] = accountLines([demo], {}, { d: mail('error', { account_id: 'd', error: 'x' }) });
    expect(l).toMatchObject({ state: 'demo', retry: null, error: '' });
  });
  it('keeps the overview order and routes each channel to its status', () => {
    const ls = accountLines(
      [acct('m', 'email'), acct('tg', 'telegram'), acct('other', 'email', { last_error: 'old failure' })],
      byAccount([health('connected')]),
      byAccount([mail('idle')]),
    );
    expect(ls.map((l) => [l.id, l.state])).toEqual([
      ['m', 'idle'],
      ['tg', 'connected'],
      ['other', 'error'],
    ]);
    expect(ls[2].error).toBe('old failure');
  });
  it('byAccount tolerates null', () => {
    expect(byAccount(null)).toEqual({});
  });
});

const card = (id: string) => ({ id, name: id.toUpperCase(), identities: [] });
const sug = (id: string, a: string, b: string): SuggestionView => ({ id, reason: 'claimed', detail: '', a: card(a), b: card(b) });

describe('withoutSuggestion', () => {
  const list = [sug('s1', 'a', 'b'), sug('s2', 'b', 'c'), sug('s3', 'c', 'd')];
  it('drops a dismissed suggestion only', () => {
    expect(withoutSuggestion(list, 's1').map((s) => s.id)).toEqual(['s2', 's3']);
  });
  it('after a merge also drops suggestions about the merged-away contact', () => {
    expect(withoutSuggestion(list, 's1', 'b').map((s) => s.id)).toEqual(['s3']);
  });
});

const opt = (conv: string, channel: string, def = false, extra: Partial<ReplyOption> = {}): ReplyOption => ({
  conversation_id: conv,
  account_id: `acct-${channel}`,
  account_name: channel,
  channel,
  address: `${channel}-addr`,
  last_inbound: '',
  default: def,
  ...extra,
});

describe('startReply', () => {
  const opts = [opt('c-tg', 'telegram', true), opt('c-mail', 'email'), opt('', 'whatsapp')];
  it('starts on the channel the customer last used', () => {
    expect(startReply(opts)?.conversation_id).toBe('c-tg');
  });
  it('keeps the owner’s pick while it is offered', () => {
    expect(startReply(opts, 'c-mail')?.conversation_id).toBe('c-mail');
    expect(startReply(opts, 'gone')?.conversation_id).toBe('c-tg');
  });
  it('never starts on a channel without a conversation', () => {
    expect(startReply([opt('', 'whatsapp', true), opt('c-mail', 'email')])?.conversation_id).toBe('c-mail');
    expect(startReply([opt('', 'whatsapp', true)])).toBeNull();
    expect(startReply([])).toBeNull();
  });
  it('names options without a conversation by channel, account and address', () => {
    expect(replyKey(opt('', 'whatsapp'))).toBe('whatsapp:acct-whatsapp:whatsapp-addr');
    expect(replyKey(opt('c1', 'email'))).toBe('c1');
  });
});

describe('a channel without a conversation', () => {
  const mail = opt('', 'email', false, { address: 'ola@example.com', subject: 'Do you ship to Oslo?' });
  const bot = opt('', 'telegram', false, { problem: 'the customer has not started a chat with this bot, and a bot can only message a user who has started it' });
  const demo = opt('', 'email', false, { problem: 'it is a demo account' });
  it('opens a new email from its account, to the customer, with its subject', () => {
    expect(canPick(mail)).toBe(true);
    expect(newMessage(mail)).toEqual({ account_id: 'acct-email', to: ['ola@example.com'], subject: 'Do you ship to Oslo?' });
  });
  it('stays disabled when its account cannot start one (a bot nobody started, a demo)', () => {
    expect(canPick(bot)).toBe(false);
    expect(canPick(demo)).toBe(false);
    expect(newMessage(bot)).toBeNull();
    expect(newMessage(demo)).toBeNull();
  });
  it('never opens a new message for an existing conversation, which stays pickable with its problem', () => {
    const demoChat = opt('c-tg', 'telegram', true, { problem: 'it is a demo account' });
    expect(newMessage(demoChat)).toBeNull();
    expect(canPick(demoChat)).toBe(true);
  });
  it('is started from only when the owner picked it', () => {
    const opts = [opt('c-tg', 'telegram', true), mail, bot];
    expect(startReply(opts)?.conversation_id).toBe('c-tg');
    expect(startReply(opts, replyKey(mail))).toBe(mail);
    expect(startReply(opts, replyKey(bot))?.conversation_id).toBe('c-tg');
  });
});

describe('snippet form', () => {
  it('fills missing fields and the default colour', () => {
    const f = snippetForm({ telegram: 'shop_bot' });
    expect(f).toMatchObject({ telegram: 'shop_bot', email: '', color: '#2563eb', title: '' });
    expect(snippetForm({ color: '#e11d48' }).color).toBe('#e11d48');
  });
  it('needs one channel, spaces do not count', () => {
    expect(hasChannel(snippetForm({ title: 'Hi', email: '   ' }))).toBe(false);
    expect(hasChannel(snippetForm({ whatsapp: '+351 912' }))).toBe(true);
  });
  it('trims what it sends', () => {
    expect(trimmed(snippetForm({ telegram: ' @shop_bot ', email: 'a@b.example ' }))).toMatchObject({ telegram: '@shop_bot', email: 'a@b.example' });
  });
});

describe('channelChoices', () => {
  const opts = [
    opt('c-tg', 'telegram', true, { last_inbound: '2026-11-25T10:00:00Z' }),
    opt('c-mail-2', 'email', false, { last_inbound: '2026-11-24T10:00:00Z' }),
    opt('c-mail-1', 'email', false, { last_inbound: '2026-11-20T10:00:00Z' }),
    opt('', 'whatsapp'),
  ];
  it('offers one choice per channel, the latest conversation', () => {
    expect(channelChoices(opts, 'c-tg').map((o) => o.conversation_id)).toEqual(['c-tg', 'c-mail-2', '']);
  });
  it('keeps the open conversation for its own channel, with the channel’s latest time', () => {
    const cs = channelChoices(opts, 'c-mail-1');
    expect(cs.map((o) => o.conversation_id)).toEqual(['c-tg', 'c-mail-1', '']);
    expect(cs[1].last_inbound).toBe('2026-11-24T10:00:00Z');
  });
  it('the channel last used stays the default', () => {
    const cs = channelChoices([opt('c-mail-2', 'email', true), opt('c-mail-1', 'email')], 'c-mail-1');
    expect(cs).toHaveLength(1);
    expect(cs[0]).toMatchObject({ conversation_id: 'c-mail-1', default: true });
    expect(startReply(cs)?.conversation_id).toBe('c-mail-1');
  });
});
