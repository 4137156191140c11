// Hand-written mirrors of the Go JSON views the bound methods return
// (backend/workspace/views.go, overview.go, accounts.go; backend/demo).
// Field names are the JSON names; dates are RFC 3339 strings ("" when unset).

export type Status = 'open' | 'pending' | 'snoozed' | 'closed';
export type ViewStatus = Status | 'all';
export type Channel = 'email' | 'telegram' | 'whatsapp' | 'sms' | 'phone' | string;

export interface IdentityView {
  channel: Channel;
  address: string;
  display?: string;
}

export interface ContactView {
  id: string;
  name: string;
  identities: IdentityView[];
}

export interface ConversationView {
  id: string;
  subject: string;
  status: Status;
  snoozed_until?: string;
  channel: Channel;
  contact: ContactView;
  message_count: number;
  unread_count: number;
  last_message_at: string;
  preview: string;
  labels: string[];
}

export interface AttachmentView {
  id: string;
  name: string;
  size: number;
  content_type: string;
  inline?: boolean;
  /** Left on the server (larger than the download limit). */
  not_downloaded?: boolean;
}

export interface MessageView {
  id: string;
  direction: 'in' | 'out';
  channel: Channel;
  from: string;
  from_name?: string;
  to: string[];
  cc?: string[];
  date: string;
  subject: string;
  text: string;
  has_html?: boolean;
  message_id: string;
  auto: boolean;
  read: boolean;
  /** IMAP \Flagged, kept in step with the server. */
  flagged?: boolean;
  thread_reason?: string;
  parse_error?: string;
  attachments: AttachmentView[];
  /** Only the header is here yet; the body is being downloaded. */
  body_pending?: boolean;
  /** With body_pending: the server no longer has the message; the body will not come. */
  body_gone?: boolean;
}

export interface NoteView {
  id: string;
  body: string;
  created_at: string;
}

export interface EventView {
  kind: string;
  detail: string;
  at: string;
}

export interface ThreadView {
  id: string;
  subject: string;
  status: Status;
  snoozed_until?: string;
  channel: Channel;
  contact: ContactView;
  labels: string[];
  messages: MessageView[];
  notes: NoteView[];
  events: EventView[];
}

export interface ListOptions {
  status?: string;
  label?: string;
  query?: string;
  limit?: number;
  after?: string;
}

export interface ViewCount {
  total: number;
  unread: number;
}

export interface LabelView {
  name: string;
  color: string;
  count: number;
}

export interface SavedSearchView {
  id: string;
  name: string;
  query: string;
}

export interface AccountView {
  id: string;
  name: string;
  channel: Channel;
  address: string;
  settings: Record<string, unknown>;
  last_sync_at: string;
  last_error: string;
}

export interface Overview {
  data_dir: string;
  empty: boolean;
  statuses: Record<string, ViewCount>;
  labels: LabelView[];
  accounts: AccountView[];
  saved_searches: SavedSearchView[];
  /** Conversations with unread messages per account ID and per channel (absent: none). */
  account_unread?: Record<string, number>;
  channel_unread?: Record<string, number>;
}

export interface DemoResult {
  conversations: number;
  messages: number;
  contacts: number;
}

/** app.MessageHTMLView: a message's sanitized HTML body (backend/htmlsafe). */
export interface MessageHTMLView {
  html: string;
  blocked_images: { url: string; alt?: string }[];
  remote_images: number;
  trackers: { url: string; name: string; reason: string }[];
  links: { text: string; url: string; mismatch?: boolean }[];
  inline_images: string[];
  truncated?: boolean;
  sender: string;
  always_load_images: boolean;
}

/** workspace.ContactPanelView: the customer panel. */
export interface ContactPanelView {
  contact: ContactView;
  notes: string;
  conversations: ConversationView[];
}

/** 'edit' is a failed email opened again (ComposeEdit, SendEdited). */
export type ComposeMode = 'reply' | 'reply_all' | 'forward' | 'new' | 'edit';

/** app.ComposeView: a composer's starting point. */
export interface ComposeView {
  mode: ComposeMode;
  conversation_id: string;
  channel: string;
  account_id: string;
  account_name: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  signature: string;
  recipients: boolean;
  /** The channel carries files, each up to max_upload_size bytes (email: all together). */
  attachments?: boolean;
  max_upload_size?: number;
  /** Accounts a new message can go out from. */
  accounts?: { id: string; name: string; address: string }[];
}

/** app.SendRequest */
export interface SendRequest {
  mode: ComposeMode;
  conversation_id: string;
  account_id: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  /** The draft whose files go with the message. */
  draft_key?: string;
}

/** app.SendView */
export interface SendView {
  conversation_id: string;
  message_id: string;
  outbox_id?: string;
  state: string;
  error?: string;
}

/** app.OutboxView */
export interface OutboxView {
  outbox_id?: string;
  state: 'queued' | 'sending' | 'sent' | 'failed' | string;
  error?: string;
  attempts?: number;
}

/** app.DraftView */
export interface DraftView {
  mode: string;
  /** The account a new message goes out from. */
  account_id?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  updated_at?: string;
}

/** syncer.AccountForm (the password travels separately). */
export interface AccountForm {
  name: string;
  address: string;
  imap_host?: string;
  imap_port?: number;
  smtp_host?: string;
  smtp_port?: number;
  security?: string;
  user?: string;
}

/** app.OAuthForm: OAuth2 sign-in with the user's own client. */
export interface OAuthForm {
  provider: 'google' | 'microsoft' | 'custom';
  client_id: string;
  client_secret?: string;
  auth_url?: string;
  token_url?: string;
  scopes?: string;
}

/** email.Suggestion: email.Config plus where the guess came from. */
export interface EmailSuggestion {
  address: string;
  imap_host: string;
  imap_port: number;
  imap_security: string;
  smtp_host: string;
  smtp_port: number;
  smtp_security: string;
  user?: string;
  Source: string;
}

/** app.AccountAdded */
export interface AccountAdded {
  id: string;
  name: string;
  address: string;
  folders: string[];
  secrets: string;
  /** Said once: no keyring answered, the password went to a private file. */
  notice?: string;
}

/** app.AccountStatus: an email account's line in the status bar. */
export interface AccountStatus {
  account_id: string;
  name: string;
  state: 'syncing' | 'idle' | 'error' | 'offline' | string;
  done: number;
  total: number;
  last_sync_at: string;
  error: string;
  hint: string;
  retrying: boolean;
}

/** app.MessageOrigin */
export interface MessageOrigin {
  gone: boolean;
  folders: string[] | null;
  warnings?: string[];
}

/** app.AccountHistory: what stays in the inbox when an account goes. */
export interface AccountHistory {
  conversations: number;
  messages: number;
}

/** app.NotifySettings: when new customer messages notify. */
export interface NotifySettings {
  enabled: boolean;
  /** Account IDs that never notify. */
  muted_accounts: string[];
  /** Only while the window is not in front. */
  only_away: boolean;
  /** Quiet hours, local "HH:MM"; both empty means none. */
  quiet_from: string;
  quiet_to: string;
  /** Show the message's first line in the notification. */
  show_text: boolean;
}
