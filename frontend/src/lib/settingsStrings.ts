// The settings screen's, OS notifications' and conversation merge's
// strings, in one place beside strings.ts (kept apart while several
// branches change strings.ts).

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export const tset = {
  title: 'Settings',
  open: 'Settings',
  openTitle: 'Settings (Ctrl+,)',
  close: 'Close settings (Esc)',
  nav: 'Settings sections',
  sections: {
    accounts: 'Accounts',
    labels: 'Labels',
    notifications: 'Notifications',
    offline: 'Offline & attachments',
    website: 'Website chat',
  },
  accounts: {
    lead: 'Every mailbox and chat account this inbox reads. Removing one stops syncing it.',
    none: 'No accounts yet. Connect an email account to start.',
    add: 'Connect an email account',
    address: (a: string) => a,
    synced: (when: string) => `synced ${when}`,
    never: 'not synced yet',
    rename: 'Rename',
    renameLabel: (name: string) => `New name for ${name}`,
    save: 'Save',
    cancel: 'Cancel',
    remove: 'Remove…',
    removeTitle: (name: string) => `Remove ${name}`,
    confirmTitle: (name: string) => `Remove “${name}”?`,
    keeps: (conversations: number, messages: number) =>
      `Local history is kept: its ${plural(conversations, 'conversation', 'conversations')} (${plural(messages, 'message', 'messages')}) stay on this computer, in the inbox and in search. Nothing is deleted on the server.`,
    stops: 'Tidings stops syncing this account and forgets its password or token.',
    confirm: 'Remove account',
    removed: (name: string) => `${name} removed. Its history stays in the inbox.`,
    demo: 'demo',
  },
  labels: {
    lead: 'Labels sort conversations across channels. Renaming keeps them on their conversations.',
    none: 'No labels yet. Create one here or with l on a conversation.',
    newName: 'New label',
    create: 'Create label',
    count: (n: number) => plural(n, 'conversation', 'conversations'),
    rename: 'Rename',
    renameLabel: (name: string) => `New name for the label ${name}`,
    save: 'Save',
    cancel: 'Cancel',
    color: (name: string) => `Colour of ${name}`,
    delete: 'Delete…',
    deleteTitle: (name: string) => `Delete the label ${name}`,
    confirmDelete: (name: string, n: number) =>
      n > 0 ? `Delete “${name}”? It comes off ${plural(n, 'conversation', 'conversations')}; the conversations stay.` : `Delete “${name}”? No conversation carries it.`,
    confirm: 'Delete label',
    deleted: (name: string, n: number) => `Label “${name}” deleted (${plural(n, 'conversation', 'conversations')} had it).`,
  },
  website: {
    lead: 'A “contact us” block for your website that lands visitors in this inbox.',
  },
};
