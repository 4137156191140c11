// Pure logic behind the window side of the messaging channels (issue 7):
// one health line per account for the status bar, merge-suggestion texts,
// the reply channel to start from, and the website snippet's form. No
// bindings here (lib/api.ts calls them), so everything is unit-tested.

import { t, tc } from './strings';
import type { AccountView, Channel, ContactView, ConversationView, MessageView } from './types';

/** channels.Health (app.Channels.Health, event channels:health). */
export interface ChatHealth {
  account_id: string;
  name: string;
  channel: Channel;
  state: 'connecting' | 'connected' | 'retrying' | 'stopped' | string;
  connected: boolean;
  last_sync: string;
  last_error: string;
  hint: string;
  failures: number;
  next_retry: string;
}

/** app.AccountStatus (app.Mail.Status, event accounts:status). */
export interface MailStatus {
  account_id: string;
  name: string;
  state: 'syncing' | 'idle' | 'error' | 'offline' | string;
  done: number;
  total: number;
  last_sync_at: string;
  error: string;
  hint: string;
  retrying: boolean;
  /** What the last sync warned of (an OAuth2 sign-in about to lapse). */
  warning?: string;
}

/** What an account's health line shows. */
export type LineState = 'demo' | 'connected' | 'syncing' | 'idle' | 'offline' | 'error' | 'unknown';

export interface AccountLine {
  id: string;
  name: string;
  channel: Channel;
  state: LineState;
  /** RFC 3339, "" when never synced. */
  lastSync: string;
  error: string;
  /** What to do about the error, or what happens next. */
  hint: string;
  /** Which service's retry the button calls; null: no button. */
  retry: 'mail' | 'chat' | null;
  /** The loop keeps retrying by itself (offline with backoff). */
  retrying: boolean;
  /** RFC 3339 time of the next automatic attempt, "" when none. */
  nextRetry: string;
  done: number;
  total: number;
  /** A warning that stays until a sync no longer gives it. */
  warning: string;
}

const ZERO_TIME = /^0001-01-01/;

/** time normalizes Go's zero time.Time ("0001-01-01T00:00:00Z") to "". */
export function time(s: string | undefined | null): string {
  if (!s || ZERO_TIME.test(s)) return '';
  return s;
}

/** chatLine turns a chat account's channels.Health into a line. */
export function chatLine(a: AccountView, h: ChatHealth | undefined): AccountLine {
  const base = baseLine(a);
  if (!h) return base;
  const line: AccountLine = {
    ...base,
    lastSync: time(h.last_sync) || base.lastSync,
    error: h.last_error,
    hint: h.hint,
    nextRetry: time(h.next_retry),
    retry: 'chat',
  };
  switch (h.state) {
    case 'connected':
      line.state = 'connected';
      break;
    case 'connecting':
      line.state = 'syncing';
      break;
    case 'retrying':
      // A temporary failure: the loop waits and tries again by itself.
      line.state = 'offline';
      line.retrying = true;
      break;
    case 'stopped':
      // A permanent failure stops the loop until the owner fixes it.
      line.state = h.last_error ? 'error' : 'offline';
      break;
    default:
      line.state = h.last_error ? 'error' : 'unknown';
  }
  return line;
}

/** mailLine turns an email account's app.AccountStatus into a line. */
export function mailLine(a: AccountView, s: MailStatus | undefined): AccountLine {
  const base = baseLine(a);
  if (!s) return base;
  const known: LineState[] = ['syncing', 'idle', 'offline', 'error'];
  return {
    ...base,
    state: known.includes(s.state as LineState) ? (s.state as LineState) : 'unknown',
    lastSync: time(s.last_sync_at) || base.lastSync,
    error: s.error,
    hint: s.hint,
    retry: 'mail',
    retrying: s.retrying && s.state !== 'idle',
    done: s.done,
    total: s.total,
    warning: s.warning ?? '',
  };
}

/** baseLine is what the overview alone says about an account (before any
 * live status arrived, or for an account whose loop is not running). */
function baseLine(a: AccountView): AccountLine {
  const demo = !!a.settings?.demo;
  return {
    id: a.id,
    name: a.name,
    channel: a.channel,
    state: demo ? 'demo' : a.last_error ? 'error' : 'unknown',
    lastSync: time(a.last_sync_at),
    error: demo ? '' : a.last_error,
    hint: '',
    retry: demo ? null : a.channel === 'email' ? 'mail' : 'chat',
    retrying: false,
    nextRetry: '',
    done: 0,
    total: 0,
    warning: '',
  };
}

/** accountLines builds the status bar's lines: every account of the
 * overview, in its order, with the live status of its loop when known. */
export function accountLines(
  accounts: AccountView[],
  health: Record<string, ChatHealth>,
  mail: Record<string, MailStatus>,
): AccountLine[] {
  return accounts.map((a) => {
    if (a.settings?.demo) return baseLine(a);
    return a.channel === 'email' ? mailLine(a, mail[a.id]) : chatLine(a, health[a.id]);
  });
}

/** byAccount indexes statuses by account ID (for Health() / Status()). */
export function byAccount<T extends { account_id: string }>(list: T[] | null | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  for (const s of list ?? []) out[s.account_id] = s;
  return out;
}

/** app.SuggestionView */
export interface ContactCard {
  id: string;
  name: string;
  identities: string[];
}
export interface SuggestionView {
  id: string;
  reason: 'same-phone' | 'same-email' | 'claimed' | string;
  detail: string;
  a: ContactCard;
  b: ContactCard;
}

/** withoutSuggestion drops one suggestion (accepted or dismissed) and any
 * other suggestion about a contact that no longer exists after a merge. */
export function withoutSuggestion(list: SuggestionView[], id: string, mergedAway = ''): SuggestionView[] {
  return list.filter((s) => s.id !== id && (!mergedAway || (s.a.id !== mergedAway && s.b.id !== mergedAway)));
}

/** channels.Capabilities; reply_window is a Go time.Duration (nanoseconds). */
export interface Capabilities {
  threads: boolean;
  attachments: boolean;
  read_receipts: boolean;
  edits: boolean;
  quotes: boolean;
  reply_window: number;
  max_text_length: number;
  max_upload_size: number;
  max_download_size: number;
}

/** app.ReplyChoice: identity.ReplyOption with what its channel accepts in
 * that conversation (the limits are absent when the account's connector
 * could not be opened; problem then says why). */
export interface ReplyOption {
  conversation_id: string;
  account_id: string;
  account_name: string;
  channel: Channel;
  address: string;
  last_inbound: string;
  default: boolean;
  capabilities?: Capabilities;
  window_closes_at?: string;
  problem?: string;
  /** A new conversation's subject (conversation_id ""). */
  subject?: string;
}

/** channelChoices reduces the reply options (one per conversation of the
 * customer) to one per channel: the conversation open now when it is on
 * that channel (a reply stays in its thread), else the one the customer
 * last wrote in. The channel they last used stays marked default, and each
 * channel keeps its latest last_inbound. Order: as given (latest first). */
export function channelChoices(opts: ReplyOption[], current: string): ReplyOption[] {
  const def = opts.find((o) => o.default)?.channel;
  const out: ReplyOption[] = [];
  const at = new Map<string, number>();
  for (const o of opts) {
    const key = `${o.channel}:${o.account_id}`;
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push({ ...o, default: o.channel === def });
    } else if (o.conversation_id && o.conversation_id === current) {
      out[i] = { ...o, default: o.channel === def, last_inbound: out[i].last_inbound || o.last_inbound };
    }
  }
  return out;
}

/** replyKey names an option (a channel may have no conversation yet). */
export function replyKey(o: ReplyOption): string {
  return o.conversation_id || `${o.channel}:${o.account_id}:${o.address}`;
}

/** canPick says whether the owner can pick an option: an existing
 * conversation (its problem, if any, blocks the send with the reason), or
 * a new email its account can start (a demo account never sends; a bot
 * cannot write to a customer who never started it). */
export function canPick(o: ReplyOption): boolean {
  return !!o.conversation_id || newMessage(o) !== null;
}

/** NewMessage is what the composer starts a new conversation with. */
export interface NewMessage {
  account_id: string;
  to: string[];
  subject: string;
}

/** newMessage is the new email an option without a conversation opens:
 * from its account, to the customer's address, with its subject; null for
 * an existing conversation or one that cannot be started. */
export function newMessage(o: ReplyOption | null | undefined): NewMessage | null {
  if (!o || o.conversation_id || o.problem || o.channel !== 'email') return null;
  return { account_id: o.account_id, to: o.address ? [o.address] : [], subject: o.subject ?? '' };
}

/** startReply picks the option a reply starts from: the owner's earlier
 * pick when still offered, else the one the customer last used (Default),
 * else the first existing conversation. A new conversation is only ever
 * the owner's pick. */
export function startReply(opts: ReplyOption[], picked = ''): ReplyOption | null {
  const usable = opts.filter((o) => o.conversation_id);
  return (
    opts.find((o) => canPick(o) && replyKey(o) === picked) ?? usable.find((o) => o.default) ?? usable[0] ?? null
  );
}

const NS_PER_MS = 1e6;

/** size writes a byte count as channels.Size does: "50 MB", "800 KB". */
export function size(n: number): string {
  if (n >= 1 << 20) return `${Math.round(n / (1 << 20)).toLocaleString('en-US')} MB`;
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10)).toLocaleString('en-US')} KB`;
  return `${n} bytes`;
}

/** span writes a duration in whole hours or minutes: "24 h", "3 h", "40 min". */
export function span(ms: number): string {
  if (ms >= 3600e3) return `${Math.round(ms / 3600e3)} h`;
  return `${Math.max(1, Math.floor(ms / 60e3))} min`;
}

/** ReplyWindow is where a channel's reply window stands for an option. */
export interface ReplyWindow {
  /** The window length, "24 h". */
  length: string;
  open: boolean;
  /** "closes in 5 h" / "closed 3 h ago" / "the customer has not written here". */
  text: string;
}

/** replyWindow says whether free replies are still allowed (null: the
 * channel has no reply window). */
export function replyWindow(o: ReplyOption, now: Date = new Date()): ReplyWindow | null {
  const w = (o.capabilities?.reply_window ?? 0) / NS_PER_MS;
  if (w <= 0) return null;
  const length = span(w);
  const closes = time(o.window_closes_at);
  if (!closes) return { length, open: false, text: tc.reply.windowNever };
  const left = new Date(closes).getTime() - now.getTime();
  return left > 0
    ? { length, open: true, text: tc.reply.windowOpen(span(left)) }
    : { length, open: false, text: tc.reply.windowClosed(span(-left)) };
}

/** limitNotes lists what the channel accepts, for the picker's limits line. */
export function limitNotes(o: ReplyOption): string[] {
  const c = o.capabilities;
  if (!c) return [];
  const out: string[] = [];
  if (c.max_text_length > 0) out.push(tc.reply.maxText(c.max_text_length));
  if (!c.attachments) out.push(tc.reply.noFiles);
  else if (c.max_upload_size > 0) out.push(tc.reply.maxUpload(size(c.max_upload_size)));
  return out;
}

/** TextCount is the composer's counter against the channel's limit. */
export interface TextCount {
  text: string;
  over: boolean;
}

/** textCount counts characters (code points, as Go's utf8.RuneCountInString)
 * against the channel's limit; null without a limit. */
export function textCount(o: ReplyOption | null | undefined, body: string): TextCount | null {
  const max = o?.capabilities?.max_text_length ?? 0;
  if (max <= 0) return null;
  const n = [...body].length;
  return { text: `${n.toLocaleString('en-US')} / ${max.toLocaleString('en-US')}`, over: n > max };
}

/** replyRefusal says why the channel would refuse this reply, as
 * channels.Refusal (which the backend applies again when sending), or ""
 * when it accepts it. */
export function replyRefusal(
  o: ReplyOption | null | undefined,
  body: string,
  files: { name: string; size: number }[] = [],
  now: Date = new Date(),
): string {
  if (!o) return '';
  if (o.problem) return tc.reply.cannotSend(o.account_name, o.problem);
  const c = o.capabilities;
  if (!c) return '';
  const name = t.channel[o.channel] ?? o.channel;
  const n = [...body].length;
  if (c.max_text_length > 0 && n > c.max_text_length) return tc.reply.tooLong(name, c.max_text_length, n);
  if (files.length > 0 && !c.attachments) return tc.reply.filesRefused(name);
  for (const f of files) {
    if (c.max_upload_size > 0 && f.size > c.max_upload_size) return tc.reply.fileTooBig(f.name, size(f.size), name, size(c.max_upload_size));
  }
  const w = replyWindow(o, now);
  if (w && !w.open) return tc.reply.windowRefused(name, w.length, w.text);
  return '';
}

/** ReplyCheck is what the composer shows for the picked channel: the
 * character counter, whether the text is over, and why sending is blocked
 * ("" when it is not). */
export interface ReplyCheck {
  note: string;
  over: boolean;
  block: string;
}

/** replyCheck combines textCount and replyRefusal for the composer. */
export function replyCheck(
  o: ReplyOption | null | undefined,
  body: string,
  files: { name: string; size: number }[] = [],
  now: Date = new Date(),
): ReplyCheck {
  const c = textCount(o, body);
  return { note: c?.text ?? '', over: c?.over ?? false, block: replyRefusal(o, body, files, now) };
}

/** workspace.TimelineEntry / CustomerView (app.Channels.Customer). */
export interface TimelineEntry {
  conversation_id: string;
  channel: Channel;
  message: MessageView;
}
export interface CustomerView {
  contact: ContactView;
  conversations: ConversationView[];
  timeline: TimelineEntry[];
}

/** TimelineItem is one line of the customer panel's timeline. */
export interface TimelineItem {
  id: string;
  conversationID: string;
  channel: Channel;
  direction: 'in' | 'out';
  date: string;
  subject: string;
  snippet: string;
}

/** customerTimeline turns the backend's timeline (oldest first) into the
 * panel's lines, newest first, at most limit, each with a one-line
 * snippet and its conversation's subject. */
export function customerTimeline(v: CustomerView | null | undefined, limit = 50): TimelineItem[] {
  if (!v) return [];
  const subjects = new Map(v.conversations.map((c) => [c.id, c.subject]));
  const out: TimelineItem[] = [];
  for (let i = v.timeline.length - 1; i >= 0 && out.length < limit; i--) {
    const e = v.timeline[i];
    const text = (e.message.text ?? '').replace(/\s+/g, ' ').trim();
    out.push({
      id: e.message.id,
      conversationID: e.conversation_id,
      channel: e.channel,
      direction: e.message.direction,
      date: e.message.date,
      subject: subjects.get(e.conversation_id) || e.message.subject || '',
      snippet: text.length > 120 ? text.slice(0, 119) + '…' : text,
    });
  }
  return out;
}

/** snippet.Options */
export interface SnippetOptions {
  title: string;
  telegram: string;
  telegram_start: string;
  email: string;
  email_subject: string;
  whatsapp: string;
  messenger: string;
  color: string;
}

/** snippet.Snippet */
export interface Snippet {
  html: string;
  preview: string;
  links: { channel: Channel; label: string; url: string }[];
}

export const DEFAULT_COLOR = '#2563eb';

/** snippetForm fills a form from SnippetDefaults (missing fields empty). */
export function snippetForm(d: Partial<SnippetOptions> | null | undefined): SnippetOptions {
  return {
    title: d?.title ?? '',
    telegram: d?.telegram ?? '',
    telegram_start: d?.telegram_start ?? '',
    email: d?.email ?? '',
    email_subject: d?.email_subject ?? '',
    whatsapp: d?.whatsapp ?? '',
    messenger: d?.messenger ?? '',
    color: d?.color || DEFAULT_COLOR,
  };
}

/** hasChannel says whether the form names at least one button (the
 * backend needs one; the form says so before asking). */
export function hasChannel(o: SnippetOptions): boolean {
  return [o.telegram, o.email, o.whatsapp, o.messenger].some((v) => v.trim() !== '');
}

/** trimmed is the form as sent: surrounding spaces removed. */
export function trimmed(o: SnippetOptions): SnippetOptions {
  const out = { ...o };
  for (const k of Object.keys(out) as (keyof SnippetOptions)[]) out[k] = out[k].trim();
  return out;
}
