// The only module that touches the Wails bindings: window.go.app.Inbox.*
// (bound Go methods, each a promise that rejects with the Go error's text)
// and window.runtime (events, window title, the system browser). Everything
// else imports from here, so the UI can run against a stand-in in tests.

import type {
  ComposeMode,
  ComposeView,
  DraftView,
  OutboxView,
  SendRequest,
  SendView,
  ContactPanelView,
  ContactView,
  ConversationView,
  DemoResult,
  ListOptions,
  MessageHTMLView,
  Overview,
  ThreadView,
} from './types';
import { t } from './strings';

type Bound = Record<string, (...args: unknown[]) => Promise<unknown>>;

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
  EventsOff?(name: string): void;
  WindowSetTitle?(title: string): void;
  BrowserOpenURL?(url: string): void;
}

declare global {
  interface Window {
    go?: { app?: { Inbox?: Bound } };
    runtime?: WailsRuntime;
  }
}

/** The event the Go side sends when conversations change. */
export const EVENT_CHANGED = 'inbox:changed';

/** ApiError is a rejected bound call, with the Go error's text. */
export class ApiError extends Error {
  constructor(
    public readonly method: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function bound(): Bound {
  const b = window.go?.app?.Inbox;
  if (!b) throw new ApiError('bindings', t.errors.noBackend);
  return b;
}

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const fn = bound()[method];
  if (typeof fn !== 'function') {
    throw new ApiError(method, t.errors.missingMethod(method));
  }
  try {
    return (await fn(...args)) as T;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ApiError(method, msg);
  }
}

/** ready waits until the bindings are present (they load before the app in
 * the window, a moment later over the dev server's websocket). */
export async function ready(timeoutMs = 10000): Promise<void> {
  const start = Date.now();
  while (!window.go?.app?.Inbox) {
    if (Date.now() - start > timeoutMs) throw new ApiError('bindings', t.errors.noBackend);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const api = {
  overview: () => call<Overview>('Overview'),
  conversations: (o: ListOptions) => call<ConversationView[] | null>('Conversations', o).then((r) => r ?? []),
  thread: (id: string) => call<ThreadView>('Thread', id),
  setStatus: (id: string, status: string, until = '') => call<void>('SetStatus', id, status, until),
  markRead: (id: string, read: boolean) => call<void>('MarkRead', id, read),
  addLabel: (id: string, name: string) => call<void>('AddLabel', id, name),
  removeLabel: (id: string, name: string) => call<void>('RemoveLabel', id, name),
  addNote: (id: string, body: string) => call<void>('AddNote', id, body),
  loadDemo: () => call<DemoResult>('LoadDemo'),
  messageHTML: (id: string, loadImages: boolean) => call<MessageHTMLView>('MessageHTML', id, loadImages),
  allowImagesFrom: (address: string, always: boolean) => call<void>('AllowImagesFrom', address, always),
  contact: (id: string) => call<ContactPanelView>('Contact', id),
  findContacts: (query: string, limit = 20) => call<ContactView[] | null>('FindContacts', query, limit).then((r) => r ?? []),
  updateContact: (id: string, name: string, notes: string) => call<void>('UpdateContact', id, name, notes),
  mergeContacts: (keepID: string, mergeID: string) => call<string>('MergeContacts', keepID, mergeID),
  undoMerge: (mergeID: string) => call<string>('UndoMerge', mergeID),
  composeDefaults: (conversationID: string, mode: ComposeMode) => call<ComposeView>('ComposeDefaults', conversationID, mode),
  send: (req: SendRequest) => call<SendView>('Send', req),
  outbox: (conversationID: string) => call<Record<string, OutboxView> | null>('Outbox', conversationID).then((r) => r ?? {}),
  retrySend: (outboxID: string) => call<void>('RetrySend', outboxID),
  saveDraft: (key: string, d: DraftView) => call<void>('SaveDraft', key, d),
  draft: (key: string) => call<DraftView>('Draft', key),
  deleteDraft: (key: string) => call<void>('DeleteDraft', key),
  preference: (key: string) => call<string>('Preference', key),
  setPreference: (key: string, value: string) => call<void>('SetPreference', key, value),
};

/** onChanged calls cb with the changed conversation IDs (empty: all). It
 * returns a function that stops listening. */
export function onChanged(cb: (ids: string[]) => void): () => void {
  const rt = window.runtime;
  if (!rt?.EventsOn) return () => {};
  const off = rt.EventsOn(EVENT_CHANGED, (ids: unknown) => cb(Array.isArray(ids) ? (ids as string[]) : []));
  return typeof off === 'function' ? off : () => rt.EventsOff?.(EVENT_CHANGED);
}

/** setWindowTitle sets the native window's title (and the document's). */
export function setWindowTitle(title: string): void {
  document.title = title;
  window.runtime?.WindowSetTitle?.(title);
}

/** openExternal opens an http(s) or mailto address in the system browser or
 * mail client; the main window never navigates away from the app. */
export function openExternal(url: string): void {
  if (!/^(https?:|mailto:)/i.test(url)) return;
  if (window.runtime?.BrowserOpenURL) window.runtime.BrowserOpenURL(url);
  else window.open(url, '_blank', 'noopener,noreferrer');
}

// --- Messaging channels and mail sync (issue 7): window.go.app.Channels and
// window.go.app.Mail, and their events. ---
import type { ChatHealth, MailStatus, ReplyOption, Snippet, SnippetOptions, SuggestionView } from './channels';

/** Events: a chat account's health, an email account's sync status. */
export const EVENT_HEALTH = 'channels:health';
export const EVENT_ACCOUNT_STATUS = 'accounts:status';

async function callService<T>(service: 'Channels' | 'Mail', method: string, ...args: unknown[]): Promise<T> {
  const svc = (window.go?.app as Record<string, Bound | undefined> | undefined)?.[service];
  const fn = svc?.[method];
  if (typeof fn !== 'function') throw new ApiError(method, t.errors.missingMethod(`${service}.${method}`));
  try {
    return (await fn(...args)) as T;
  } catch (e) {
    throw new ApiError(method, e instanceof Error ? e.message : String(e));
  }
}

export const channelsApi = {
  health: () => callService<ChatHealth[] | null>('Channels', 'Health').then((r) => r ?? []),
  reconnect: (accountID: string) => callService<void>('Channels', 'Reconnect', accountID),
  suggestions: () => callService<SuggestionView[] | null>('Channels', 'Suggestions').then((r) => r ?? []),
  acceptMerge: (suggestionID: string, keepContactID = '') => callService<string>('Channels', 'AcceptMerge', suggestionID, keepContactID),
  undoMerge: (mergeID: string) => callService<string>('Channels', 'UndoMerge', mergeID),
  dismissSuggestion: (id: string) => callService<void>('Channels', 'DismissSuggestion', id),
  replyOptions: (conversationID: string) => callService<ReplyOption[] | null>('Channels', 'ReplyOptions', conversationID).then((r) => r ?? []),
  snippetDefaults: () => callService<Partial<SnippetOptions>>('Channels', 'SnippetDefaults'),
  contactSnippet: (o: SnippetOptions) => callService<Snippet>('Channels', 'ContactSnippet', o),
};

export const mailApi = {
  status: () => callService<MailStatus[] | null>('Mail', 'Status').then((r) => r ?? []),
  retry: (accountID: string) => callService<void>('Mail', 'Retry', accountID),
  syncNow: (accountID: string) => callService<void>('Mail', 'SyncNow', accountID),
};

/** onEvent calls cb with each event's first value; returns an unsubscribe. */
export function onEvent<T>(name: string, cb: (v: T) => void): () => void {
  const rt = window.runtime;
  if (!rt?.EventsOn) return () => {};
  const off = rt.EventsOn(name, (v: unknown) => cb(v as T));
  return typeof off === 'function' ? off : () => rt.EventsOff?.(name);
}
