// Every string the window shows, in one place so it can be translated.
// Functions take the values they interpolate.

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const t = {
  appName: 'Tidings',
  title: (unread: number) => (unread > 0 ? `Tidings (${unread})` : 'Tidings'),

  views: {
    heading: 'Views',
    open: 'Open',
    pending: 'Pending',
    snoozed: 'Snoozed',
    closed: 'Closed',
    all: 'All',
    labels: 'Labels',
    accounts: 'Accounts',
    saved: 'Saved searches',
    noLabels: 'No labels yet',
    noAccounts: 'No accounts connected',
    noSaved: 'No saved searches',
    labelColor: (l: string) => `Colour of ${l}`,
    unreadTitle: (n: number) => plural(n, 'unread conversation', 'unread conversations'),
  } as Record<string, any>,

  list: {
    searchPlaceholder: 'Search  (/)',
    searchLabel: 'Search conversations',
    loading: 'Loading…',
    loadMore: 'Loading more…',
    noSubject: '(no subject)',
    unknownContact: 'Unknown sender',
    empty: {
      open: 'No open conversations. Nice.',
      pending: 'Nothing is waiting on a customer.',
      snoozed: 'Nothing snoozed.',
      closed: 'No closed conversations yet.',
      all: 'No conversations yet. Connect your first channel.',
      label: 'No conversations with this label.',
      search: 'Nothing matches this search.',
    } as Record<string, string>,
    count: (n: number) => plural(n, 'conversation', 'conversations'),
    selected: (n: number) => `${n} selected`,
    markRead: 'Mark read',
    clearSelection: 'Clear selection',
  },

  conv: {
    none: 'Select a conversation to read it.',
    noneHint: 'j / k to move, Enter to open, ? for all shortcuts.',
    loading: 'Loading conversation…',
    close: 'Close',
    reopen: 'Reopen',
    pending: 'Pending',
    snooze: 'Snooze',
    label: 'Label',
    markUnread: 'Mark unread',
    you: 'You',
    to: 'to',
    cc: 'cc',
    note: 'Note',
    noteTitle: 'Private note, never sent',
    notePlaceholder: 'Add a private note… (n)',
    addNote: 'Add note',
    showQuoted: 'Show quoted text',
    hideQuoted: 'Hide quoted text',
    signature: 'Signature',
    auto: 'Automatic message',
    parseError: (e: string) => `This message could not be read fully: ${e}`,
    attachments: 'Attachments',
    save: 'Save',
    saveTitle: (name: string) => `Save ${name} to your Downloads folder`,
    saved: (path: string) => `Saved to ${path}`,
    htmlOnly: 'This message has an HTML version.',
    threadReason: (r: string) => `Joined this conversation because: ${reasons[r] ?? r}`,
    statusBadge: {
      open: 'Open',
      pending: 'Pending',
      snoozed: 'Snoozed',
      closed: 'Closed',
    } as Record<string, string>,
    snoozedUntil: (when: string) => `Snoozed until ${when}`,
    labelPrompt: 'Label name',
    addLabel: 'Add label',
    removeLabel: (l: string) => `Remove label ${l}`,
    newLabel: (l: string) => `Create “${l}”`,
    event: (kind: string, detail: string) => eventText(kind, detail),
  },

  compose: {
    title: {
      reply: 'Reply',
      reply_all: 'Reply all',
      forward: 'Forward',
      new: 'New message',
    } as Record<string, string>,
    from: 'From',
    to: 'To',
    cc: 'Cc',
    bcc: 'Bcc',
    subject: 'Subject',
    chatTo: (who: string, channel: string) => `Answering ${who} on ${channel}`,
    body: 'Write your message…',
    signature: (s: string) => `Signature added when sent: ${s.split('\n')[0]}`,
    send: 'Send',
    sending: 'Sending…',
    discard: 'Discard',
    close: 'Close',
    restored: (when: string) => `Draft restored (saved ${when}).`,
    saved: 'Draft saved',
    badAddresses: (field: string, list: string) => `${field}: not an email address: ${list}`,
    failed: (e: string) => `Not sent: ${e}`,
    queued: 'Queued: it goes out in the background.',
    note: 'Note',
    replyTab: 'Reply',
  },

  account: {
    title: 'Connect an email account',
    address: 'Email address',
    name: 'Name in Tidings',
    namePlaceholder: 'Shop mail',
    password: 'Password (or app password)',
    passwordHint: 'Kept in your system keyring, never in the inbox file.',
    servers: 'Server settings',
    found: (source: string) => `Settings found: ${source}`,
    finding: 'Looking up the settings…',
    notFound: (e: string) => `No settings found (${e}); enter them below.`,
    imap: 'IMAP server',
    smtp: 'SMTP server',
    port: 'Port',
    security: 'Security',
    user: 'Login (if not the address)',
    connect: 'Connect',
    connecting: 'Testing the connection…',
    cancel: 'Cancel',
    added: (name: string, n: number) => `${name} is connected (${n} folders); the first sync runs in the background.`,
    failed: (e: string) => `Could not connect: ${e}`,
    add: '+ Connect an account',
  },

  sync: {
    syncing: (name: string) => `${name}: syncing…`,
    progress: (name: string, done: number, total: number) => `${name}: ${done.toLocaleString()} of ${total.toLocaleString()} messages`,
    idle: (name: string, when: string) => `${name}: synced ${when}`,
    offline: (name: string) => `${name}: offline, retrying`,
    error: (name: string, e: string) => `${name}: ${e}`,
    retry: 'Retry',
  },

  origin: {
    why: 'Why is this message here?',
    folders: (f: string) => `On the server in: ${f}`,
    gone: 'No longer on the server.',
    warnings: (w: string) => `Repaired while reading: ${w}`,
    split: 'Move to its own conversation',
  },

  outbox: {
    queued: 'Queued',
    sending: 'Sending…',
    sent: 'Sent ✓',
    delivered: 'Delivered ✓',
    failed: (e: string) => `Not sent: ${e}`,
    waiting: (e: string) => `Waiting to send: ${e}`,
    retry: 'Retry',
  },

  html: {
    loading: 'Loading the formatted message…',
    frameTitle: 'Message (formatted, isolated from the app)',
    blocked: (n: number) => `${n} remote ${n === 1 ? 'image' : 'images'} not loaded, to protect your privacy.`,
    loadOnce: 'Load images',
    loadAlways: (who: string) => `Always load from ${who}`,
    stopAlways: (who: string) => `Stop loading images from ${who} automatically`,
    trackers: (names: string) => `Tracking removed: ${names}`,
    links: (n: number) => `Links (${n})`,
    openLink: (url: string) => `Open ${url} in your browser`,
    mismatch: (text: string, url: string) => `Careful: the text says ${text} but the link goes to ${url}`,
    showText: 'Show plain text',
    showHtml: 'Show formatted',
    truncated: 'This message is very long; only its beginning is shown.',
    failed: (e: string) => `The formatted version could not be shown: ${e}`,
  },

  snooze: {
    title: 'Snooze until',
    laterToday: 'Later today',
    tomorrow: 'Tomorrow morning',
    nextWeek: 'Next week',
    custom: 'Pick a time',
    apply: 'Snooze',
    cancel: 'Cancel',
    past: 'Pick a time in the future.',
  },

  customer: {
    heading: 'Customer',
    identities: 'Reachable on',
    hide: 'Hide customer panel',
    show: 'Show customer panel',
    none: 'No customer selected.',
    conversations: (n: number) => `Conversations (${n})`,
    notes: 'About this customer',
    noNotes: 'No notes yet.',
    edit: 'Edit',
    save: 'Save',
    cancel: 'Cancel',
    name: 'Name',
    notesPlaceholder: 'What to remember about them (private)',
    merge: 'Merge with another contact…',
    mergeSearch: 'Find the other contact by name or address',
    mergeNone: 'No other contact matches.',
    mergeConfirm: (other: string, self: string) =>
      `Merge ${other} into ${self}? Their addresses and conversations move here. You can undo this.`,
    mergeDo: 'Merge',
    merged: (other: string) => `${other} was merged into this contact.`,
    undo: 'Undo',
    undone: 'Merge undone.',
    current: 'This conversation',
  },

  welcome: {
    title: 'Welcome to Tidings',
    lead: 'One calm inbox for every conversation with your customers: email first, messaging apps next. Everything stays on this computer.',
    connect: 'Connect an email account',
    connectHint: 'IMAP and SMTP, like any mail app.',
    connectUnavailable:
      'Connecting accounts from the window is not available yet. Use the command line: tidings account add email --help',
    demo: 'Explore a demo inbox',
    demoHint: 'A small bike shop’s inbox with 22 conversations. Nothing is sent anywhere.',
    loadingDemo: 'Creating the demo inbox…',
  },

  a11y: {
    conversation: 'Conversation',
    conversations: 'Conversations',
    select: 'Select',
    resizeViews: 'Resize the views pane',
    resizeList: 'Resize the conversation list',
    resizeCustomer: 'Resize the customer panel',
  },

  shortcuts: {
    title: 'Keyboard shortcuts',
    close: 'Close',
    keys: [
      ['j', 'Next conversation'],
      ['k', 'Previous conversation'],
      ['Enter', 'Open the selected conversation'],
      ['e', 'Close (or reopen) the conversation'],
      ['p', 'Mark pending'],
      ['s', 'Snooze'],
      ['l', 'Label'],
      ['n', 'Add a note'],
      ['r', 'Reply'],
      ['a', 'Reply all'],
      ['f', 'Forward'],
      ['c', 'New message'],
      ['Ctrl+Enter', 'Send (in the composer)'],
      ['/ or Ctrl+Space', 'Canned reply (in the composer, at the start of a line)'],
      ['u', 'Mark unread'],
      ['/', 'Search'],
      ['g then i', 'Go to Open'],
      ['Esc', 'Leave a field or close a menu'],
      ['?', 'Show this sheet'],
      ['Ctrl+,', 'Settings'],
      ['Ctrl+Shift+E', 'Export… (File menu)'],
      ['Ctrl+Shift+O', 'Import… (File menu)'],
      ['Ctrl+Shift+B', 'Back up… (File menu)'],
    ] as [string, string][],
  },

  status: {
    synced: (name: string, when: string) => `${name}: synced ${when}`,
    neverSynced: (name: string) => `${name}: not synced yet`,
    demo: (name: string) => `${name}: demo`,
    error: (name: string, err: string) => `${name}: ${err}`,
    noAccounts: 'No accounts connected',
  },

  dates: {
    yesterday: 'Yesterday',
  },

  errors: {
    noBackend: 'The Tidings backend is not reachable. Restart the app.',
    missingMethod: (m: string) => `This version of Tidings has no “${m}” yet.`,
    actionFailed: (what: string, err: string) => `${what} failed: ${err}`,
    loadFailed: (err: string) => `Could not load: ${err}`,
    retry: 'Retry',
    dismiss: 'Dismiss',
  },

  channel: {
    email: 'Email',
    telegram: 'Telegram',
    whatsapp: 'WhatsApp',
    sms: 'SMS',
    phone: 'Phone',
  } as Record<string, string>,
};

const reasons: Record<string, string> = {
  new: 'it started the conversation',
  references: 'it replies to a message here (References header)',
  'reply-to': 'it answers a message here (In-Reply-To header)',
  subject: 'same subject and sender',
  chat: 'same chat',
  manual: 'moved here by hand',
};

function eventText(kind: string, detail: string): string {
  if (kind === 'label') {
    if (detail.startsWith('+')) return `Label “${detail.slice(1)}” added`;
    if (detail.startsWith('-')) return `Label “${detail.slice(1)}” removed`;
    const renamed = /^(.+) → (.+)$/.exec(detail);
    if (renamed) return `Label “${renamed[1]}” renamed to “${renamed[2]}”`;
  }
  if (kind === 'status') {
    const m = /^(\w+) → (\w+)(?: until (.+))?$/.exec(detail);
    if (m) {
      const to = t.conv.statusBadge[m[2]] ?? m[2];
      return m[3] ? `Marked ${to.toLowerCase()} until ${new Date(m[3]).toLocaleString()}` : `Marked ${to.toLowerCase()}`;
    }
  }
  return detail;
}

export type Strings = typeof t;

// --- Messaging channels (issue 7): account health, merge suggestions, the
// reply channel, the website snippet. ---
export const tc = {
  health: {
    state: {
      demo: 'demo',
      connected: 'connected',
      syncing: 'syncing…',
      idle: 'up to date',
      offline: 'offline',
      error: 'error',
      unknown: 'starting…',
    } as Record<string, string>,
    synced: (when: string) => `synced ${when}`,
    never: 'not synced yet',
    progress: (done: number, total: number) => `${done.toLocaleString()} of ${total.toLocaleString()}`,
    nextRetry: (when: string) => `tries again ${when}`,
    retry: 'Retry',
    retrying: 'Retrying…',
    retryTitle: (name: string) => `Connect ${name} again now`,
    retryFailed: (e: string) => `Retry failed: ${e}`,
    details: (name: string) => `${name}: details`,
    whatToDo: 'What to do',
    close: 'Close',
  },
  suggest: {
    heading: 'Possible duplicates',
    sidebar: 'Same customer?',
    count: (n: number) => `${n} merge ${n === 1 ? 'suggestion' : 'suggestions'}`,
    none: 'No merge suggestions. Tidings suggests one when the same phone or email shows up on two contacts.',
    reason: {
      'same-phone': 'Same phone number on two channels',
      'same-email': 'Same email address on two contacts',
      claimed: 'Gave this address in a chat',
    } as Record<string, string>,
    accept: 'Merge',
    acceptTitle: (a: string, b: string) => `Merge ${b} into ${a}: one customer, one history. You can undo this.`,
    dismiss: 'Not the same',
    dismissTitle: 'Never suggest this pair again',
    keeps: 'name kept',
    keepTitle: (name: string) => `Keep ${name}'s name and notes`,
    merged: (a: string, b: string) => `${b} merged into ${a}.`,
    undo: 'Undo',
    undone: 'Merge undone.',
    close: 'Close',
    loading: 'Looking for duplicates…',
  },
  reply: {
    via: 'Reply on',
    lastUsed: 'they last wrote here',
    lastWrote: (when: string) => `last wrote ${when}`,
    noConversation: 'no conversation yet',
    pickTitle: 'Pick the channel this reply goes out on',
  },
  snippet: {
    open: 'Website chat',
    heading: 'Settings → Website chat',
    lead: 'A “contact us” block for your website: buttons that open a chat with you on Telegram or WhatsApp, or write you an email. Visitors land in this inbox. No script, no tracking, no server.',
    title: 'Heading',
    titlePlaceholder: 'Questions? Write to us',
    telegram: 'Telegram bot username',
    telegramStart: 'Telegram start parameter (optional, e.g. website)',
    email: 'Email address',
    emailSubject: 'Email subject (optional)',
    whatsapp: 'WhatsApp number (international, optional)',
    messenger: 'Messenger page username (optional)',
    color: 'Button colour',
    needOne: 'Fill in at least one channel: a Telegram bot, an email address, WhatsApp or Messenger.',
    code: 'HTML to paste into your website',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Could not copy: select the code and copy it by hand.',
    preview: 'Preview',
    previewTitle: 'Preview of the contact block (isolated, no scripts)',
    close: 'Close',
  },
};
