// The only module that touches the Wails bindings: window.go.app.Inbox.*
// (bound Go methods, each a promise that rejects with the Go error's text)
// and window.runtime (events, window title, the system browser). Everything
// else imports from here, so the UI can run against a stand-in in tests.

import type {
  AccountAdded,
  AccountForm,
  AccountStatus,
  EmailSuggestion,
  MessageOrigin,
  ComposeMode,
  OAuthForm,
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
import type { CannedFill, CannedReply, DraftFile, FillRequest, SignatureView } from './writing';

type Bound = Record<string, (...args: unknown[]) => Promise<unknown>>;

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
  EventsOff?(name: string): void;
  WindowSetTitle?(title: string): void;
  BrowserOpenURL?(url: string): void;
  OnFileDrop?(cb: (x: number, y: number, paths: string[]) => void, useDropTarget?: boolean): void;
  OnFileDropOff?(): void;
}

declare global {
  interface Window {
    go?: { app?: { Inbox?: Bound; Email?: Bound; Mail?: Bound; Channels?: Bound; Accounts?: Bound; Notifier?: Bound; Archive?: Bound } };
    runtime?: WailsRuntime;
    wails?: { flags?: { enableWailsDragAndDrop?: boolean } };
  }
}

/** The OAuth2 sign-in page under way (app.EventOAuthURL). */
export const EVENT_OAUTH_URL = 'email:oauth-url';

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

type Service = 'Inbox' | 'Email' | 'Mail' | 'Channels' | 'Accounts' | 'Notifier' | 'Archive';

function bound(service: Service = 'Inbox'): Bound {
  const b = window.go?.app?.[service];
  if (!b) throw new ApiError('bindings', service === 'Inbox' ? t.errors.noBackend : t.errors.missingMethod(service));
  return b;
}

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  return callOn<T>('Inbox', method, ...args);
}

export async function callOn<T>(service: Service, method: string, ...args: unknown[]): Promise<T> {
  const fn = bound(service)[method];
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
  setFlagged: (messageID: string, flagged: boolean) => call<void>('SetFlagged', messageID, flagged),
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
  composeEdit: (outboxID: string) => call<ComposeView>('ComposeEdit', outboxID),
  sendEdited: (outboxID: string, req: SendRequest) => call<SendView>('SendEdited', outboxID, req),
  saveDraft: (key: string, d: DraftView) => call<void>('SaveDraft', key, d),
  draft: (key: string) => call<DraftView>('Draft', key),
  deleteDraft: (key: string) => call<void>('DeleteDraft', key),
  saveAttachment: (id: string) => call<string>('SaveAttachment', id),
  setLabelColor: (name: string, color: string) => call<void>('SetLabelColor', name, color),
  preference: (key: string) => call<string>('Preference', key),
  setPreference: (key: string, value: string) => call<void>('SetPreference', key, value),
};

/** Signatures, canned replies and draft files (window.go.app.Inbox). */
export const writingApi = {
  signatures: () => call<SignatureView[] | null>('Signatures').then((r) => r ?? []),
  setSignature: (accountID: string, signature: string) => call<void>('SetSignature', accountID, signature),
  cannedReplies: () => call<CannedReply[] | null>('CannedReplies').then((r) => r ?? []),
  saveCannedReply: (c: Omit<CannedReply, 'fields'> & { fields?: string[] }) => call<CannedReply>('SaveCannedReply', { fields: [], ...c }),
  deleteCannedReply: (id: string) => call<void>('DeleteCannedReply', id),
  cannedFields: () => call<string[] | null>('CannedFields').then((r) => r ?? []),
  agentName: () => call<string>('AgentName'),
  setAgentName: (name: string) => call<void>('SetAgentName', name),
  fillCannedReply: (req: FillRequest) => call<CannedFill>('FillCannedReply', req),
  composeFrom: (accountID: string) => call<ComposeView>('ComposeFrom', accountID),
  draftFiles: (key: string) => call<DraftFile[] | null>('DraftFiles', key).then((r) => r ?? []),
  addDraftFile: (key: string, accountID: string, name: string, contentType: string, data: string) =>
    call<DraftFile>('AddDraftFile', key, accountID, { name, content_type: contentType, data }),
  pickDraftFiles: (key: string, accountID: string, title: string) =>
    call<DraftFile[] | null>('PickDraftFiles', key, accountID, title).then((r) => r ?? []),
  /** Files dropped on the native window, by path: Go reads them. */
  addDraftFilePaths: (key: string, accountID: string, paths: string[]) =>
    call<DraftFile[] | null>('AddDraftFilePaths', key, accountID, paths).then((r) => r ?? []),
  removeDraftFile: (id: string) => call<void>('RemoveDraftFile', id),
  moveDraftFiles: (from: string, to: string) => call<DraftFile[] | null>('MoveDraftFiles', from, to).then((r) => r ?? []),
};

/** Another bound service is present in this build. */
export function hasService(service: Service): boolean {
  return !!window.go?.app?.[service];
}

/** The email account form, replies' origin (window.go.app.Email). */
export const emailApi = {
  suggestSettings: (address: string) => callOn<EmailSuggestion>('Email', 'SuggestSettings', address),
  addAccount: (form: AccountForm, password: string) => callOn<AccountAdded>('Email', 'AddAccount', form, password),
  /** OAuth2 sign-in: the system browser opens (EVENT_OAUTH_URL carries the
   * page) and the promise settles when the provider comes back. */
  signInAccount: (form: AccountForm, oauth: OAuthForm) => callOn<AccountAdded>('Email', 'SignInAccount', form, oauth),
  cancelSignIn: () => callOn<void>('Email', 'CancelSignIn'),
  origin: (messageID: string) => callOn<MessageOrigin>('Email', 'Origin', messageID),
  splitMessage: (messageID: string) => callOn<string>('Email', 'SplitMessage', messageID),
};

/** The email sync loops and their status (window.go.app.Mail). */
export const mailApi = {
  status: () => callOn<AccountStatus[] | null>('Mail', 'Status').then((r) => r ?? []),
  retry: (accountID: string) => callOn<void>('Mail', 'Retry', accountID),
  syncNow: (accountID: string) => callOn<void>('Mail', 'SyncNow', accountID),
  /** The account's server folders and which sync (one IMAP connection). */
  folders: (accountID: string) => callOn<FolderChoice[] | null>('Mail', 'Folders', accountID).then((r) => r ?? []),
  /** Chooses the extra folders to sync and restarts the account's sync. */
  setFolders: (accountID: string, extra: string[]) => callOn<FolderChoice[] | null>('Mail', 'SetFolders', accountID, extra).then((r) => r ?? []),
};

/** A server folder and whether it syncs (backend/syncer/folder_choice.go):
 * Inbox, Sent and Archive always do. */
export interface FolderChoice {
  name: string;
  role?: string;
  synced: boolean;
  always: boolean;
}

/** onAccountStatus calls cb with each email account's new status line. */
export function onAccountStatus(cb: (s: AccountStatus) => void): () => void {
  const rt = window.runtime;
  if (!rt?.EventsOn) return () => {};
  const off = rt.EventsOn(EVENT_ACCOUNT_STATUS, (s: unknown) => cb(s as AccountStatus));
  return typeof off === 'function' ? off : () => rt.EventsOff?.(EVENT_ACCOUNT_STATUS);
}

/** The event app.Mail sends when an account's sync state changes. */
export const EVENT_ACCOUNT_STATUS = 'accounts:status';

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

// --- Search and offline review: bound methods of app/search.go and
// app/offline.go, and the sync events that tell the window it is offline.

import type { SnippetPart, SearchOrder } from './search';
import type { SavedSearchView } from './types';

/** QueryCheck: is the query well formed, and if not, where (in characters). */
export interface QueryCheck {
  ok: boolean;
  error?: string;
  pos: number;
  len: number;
}

/** SearchHit is one conversation found, with the match that put it there. */
export interface SearchHit {
  conversation_id: string;
  message_id: string;
  note_id?: string;
  snippet: string;
  snippet_parts: SnippetPart[] | null;
  subject: string;
  from: string;
  from_name?: string;
  date: string;
}

export interface SearchPage {
  hits: SearchHit[] | null;
  next?: string;
  plan: string;
}

/** AttachmentFile is an attachment's data, read from the store. */
export interface AttachmentFile {
  id: string;
  name: string;
  content_type: string;
  size: number;
  /** base64 */
  data: string;
}

/** The events whose reports say whether accounts reach their servers. */
export const EVENT_EMAIL_SYNC = 'email:sync';
export const EVENT_HEALTH = 'channels:health';

export const searchApi = {
  check: (query: string) => call<QueryCheck>('CheckQuery', query),
  page: (query: string, order: SearchOrder, limit: number, after = '') => call<SearchPage>('SearchPage', { query, order, limit, after }),
  saved: () => call<SavedSearchView[] | null>('SavedSearches').then((r) => r ?? []),
  save: (name: string, query: string) => call<SavedSearchView>('SaveSearch', name, query),
  remove: (id: string) => call<void>('DeleteSavedSearch', id),
  savedResults: (id: string, limit: number, after = '') => call<SearchPage>('SavedSearchResults', id, limit, after),
  prefetchLimit: () => call<number>('GetPrefetchLimit'),
  setPrefetchLimit: (bytes: number) => call<void>('SetPrefetchLimit', bytes),
  unfetched: (conversationID: string) => call<string[] | null>('UnfetchedAttachments', conversationID).then((r) => r ?? []),
  attachmentData: (id: string) => call<AttachmentFile>('AttachmentData', id),
  /** Downloads one attachment left on the server (larger than the limit);
   * rejects saying so when the server cannot be reached. */
  fetchAttachment: (id: string) => call<void>('FetchAttachment', id),
};

/** onEvent listens to a backend event; it returns a function that stops. */
export function onEvent(name: string, cb: (data: unknown) => void): () => void {
  const rt = window.runtime;
  if (!rt?.EventsOn) return () => {};
  const off = rt.EventsOn(name, (data: unknown) => cb(data));
  return typeof off === 'function' ? off : () => rt.EventsOff?.(name);
}

// --- Messaging channels (issue 7): window.go.app.Channels and its event;
// the mail side is mailApi / onAccountStatus above. ---
import type { ChatHealth, CustomerView, ReplyOption, Snippet, SnippetOptions, SuggestionView } from './channels';

export const channelsApi = {
  health: () => callOn<ChatHealth[] | null>('Channels', 'Health').then((r) => r ?? []),
  reconnect: (accountID: string) => callOn<void>('Channels', 'Reconnect', accountID),
  suggestions: () => callOn<SuggestionView[] | null>('Channels', 'Suggestions').then((r) => r ?? []),
  acceptMerge: (suggestionID: string, keepContactID = '') => callOn<string>('Channels', 'AcceptMerge', suggestionID, keepContactID),
  undoMerge: (mergeID: string) => callOn<string>('Channels', 'UndoMerge', mergeID),
  dismissSuggestion: (id: string) => callOn<void>('Channels', 'DismissSuggestion', id),
  replyOptions: (conversationID: string) => callOn<ReplyOption[] | null>('Channels', 'ReplyOptions', conversationID).then((r) => r ?? []),
  snippetDefaults: () => callOn<Partial<SnippetOptions>>('Channels', 'SnippetDefaults'),
  contactSnippet: (o: SnippetOptions) => callOn<Snippet>('Channels', 'ContactSnippet', o),
  customer: (contactID: string) => callOn<CustomerView>('Channels', 'Customer', contactID),
};

/** onHealth calls cb with each chat account's new health line. */
export function onHealth(cb: (h: ChatHealth) => void): () => void {
  const rt = window.runtime;
  if (!rt?.EventsOn) return () => {};
  const off = rt.EventsOn(EVENT_HEALTH, (h: unknown) => cb(h as ChatHealth));
  return typeof off === 'function' ? off : () => rt.EventsOff?.(EVENT_HEALTH);
}

// --- Settings (labels, accounts) and OS notifications: app/labels_manage.go
// (Inbox), app/accounts_manage.go (window.go.app.Accounts),
// app/notify.go (window.go.app.Notifier). ---
import type { AccountHistory, NotifySettings } from './types';

export const settingsApi = {
  createLabel: (name: string, color: string) => call<void>('CreateLabel', name, color),
  renameLabel: (from: string, to: string) => call<void>('RenameLabel', from, to),
  deleteLabel: (name: string) => call<number>('DeleteLabel', name),
  accountHistory: (id: string) => callOn<AccountHistory>('Accounts', 'History', id),
  renameAccount: (id: string, name: string) => callOn<void>('Accounts', 'Rename', id, name),
  removeAccount: (id: string) => callOn<AccountHistory>('Accounts', 'Remove', id),
  removeAccountWithHistory: (id: string) => callOn<AccountHistory>('Accounts', 'RemoveWithHistory', id),
  setAccountPassword: (id: string, password: string) => callOn<void>('Accounts', 'SetPassword', id, password),
  notifySettings: () => callOn<NotifySettings>('Notifier', 'Settings'),
  setNotifySettings: (s: NotifySettings) => callOn<void>('Notifier', 'SetSettings', s),
  notifyService: () => callOn<string>('Notifier', 'Service'),
  testNotification: () => callOn<string>('Notifier', 'Test'),
  setAway: (away: boolean) => callOn<void>('Notifier', 'SetAway', away),
};

/** The event the Go side sends when the owner clicks a notification: the
 * conversation to open. */
export const EVENT_NOTIFY_OPEN = 'notify:open';

/** Conversation merges (app/email.go): merge, undo, what can be undone. */
export const mergeApi = {
  merge: (into: string, from: string) => callOn<string>('Email', 'MergeConversations', into, from),
  undo: (mergeID: string) => callOn<string>('Email', 'UndoMergeConversations', mergeID),
  undoable: (conversationID: string) =>
    callOn<{ id: string; into_id: string; from_id: string }[] | null>('Email', 'Merges', conversationID).then((r) => r ?? []),
};

/** nativeFileDrop says the native window hands files dropped on it over as
 * paths (Wails' file drop, enabled in main.go). In a browser on the dev
 * server there are no paths: the page reads dropped files itself. */
export function nativeFileDrop(): boolean {
  return window.wails?.flags?.enableWailsDragAndDrop === true;
}

/** onFileDrop calls cb with the paths of files dropped anywhere on the
 * native window and where (CSS pixels); it returns a function that stops. */
export function onFileDrop(cb: (x: number, y: number, paths: string[]) => void): () => void {
  const rt = window.runtime;
  if (!rt?.OnFileDrop) return () => {};
  rt.OnFileDrop((x, y, paths) => cb(x, y, Array.isArray(paths) ? paths.filter((p) => typeof p === 'string' && p !== '') : []), false);
  return () => rt.OnFileDropOff?.();
}
