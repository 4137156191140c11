// The search box's, the offline banner's and the attachments' strings, in
// one place beside strings.ts (kept apart while both branches change).

import { formatBytes } from './search';

export const ts = {
  search: {
    clear: 'Clear search (Esc)',
    checking: 'Searching…',
    newest: 'Newest',
    relevance: 'Relevance',
    orderLabel: 'Order results',
    count: (n: number, more: boolean) => (n === 1 ? '1 conversation' : `${n}${more ? '+' : ''} conversations`),
    none: (q: string) => `No conversations match “${q}”.`,
    fixFirst: 'Fix the query to see results.',
    error: (msg: string, column: number) => `${msg} — column ${column}`,
    more: 'More results',
    save: 'Save search',
    saveName: 'Name',
    saveNamePlaceholder: 'Name this view',
    saveConfirm: 'Save',
    cancel: 'Cancel',
    saved: (name: string) => `Saved as “${name}” in the sidebar.`,
    savedTitle: (name: string, q: string) => `${name}: ${q}`,
    deleteSaved: (name: string) => `Delete saved search “${name}”`,
    results: 'Search results',
    noteHit: 'Private note',
    failed: (err: string) => `Search failed: ${err}`,
    hint: 'Words, "phrases", -not, OR, from: to: label: status: is:unread has:attachment before: after:',
  },
  offlineHeading: 'Offline',
  offline: {
    banner: 'Offline — everything here still works; replies wait in the outbox.',
    title: 'No network: conversations, search and downloaded attachments open from this computer.',
  },
  attachments: {
    prefetchLabel: 'Download attachments ahead',
    prefetchHint: 'Larger ones are listed and downloaded when you open them.',
    noLimit: 'All sizes',
    upTo: (n: number) => `Up to ${formatBytes(n)}`,
    saved: 'Saved',
    download: 'Download',
    downloadTitle: (size: string) => `Not downloaded yet (${size}); fetch it from the server`,
    open: (name: string) => `Open ${name}`,
    failed: (err: string) => `Could not open the file: ${err}`,
  },
};
