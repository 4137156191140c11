// The conversation's timeline: messages, private notes and status events in
// one list, oldest first, so the newest sits at the bottom by the composer.

import type { EventView, MessageView, NoteView, ThreadView } from './types';

export type TimelineItem =
  | { kind: 'message'; at: number; key: string; message: MessageView }
  | { kind: 'note'; at: number; key: string; note: NoteView }
  | { kind: 'event'; at: number; key: string; event: EventView };

const time = (iso: string) => {
  const n = Date.parse(iso);
  return Number.isNaN(n) ? 0 : n;
};

// At the same instant a message comes before the note about it, and an event
// (which the message usually caused) after both.
const rank = { message: 0, note: 1, event: 2 } as const;

/** timeline merges a thread's messages, notes and events by time. */
export function timeline(th: ThreadView): TimelineItem[] {
  const items: TimelineItem[] = [];
  th.messages.forEach((m) => items.push({ kind: 'message', at: time(m.date), key: 'm:' + m.id, message: m }));
  th.notes.forEach((n) => items.push({ kind: 'note', at: time(n.created_at), key: 'n:' + n.id, note: n }));
  th.events.forEach((e, i) => items.push({ kind: 'event', at: time(e.at), key: `e:${i}:${e.at}`, event: e }));
  // A stable sort keeps each kind in its own order when times tie.
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => a.it.at - b.it.at || rank[a.it.kind] - rank[b.it.kind] || a.i - b.i)
    .map((x) => x.it);
}

/** displayName is who wrote a message, as the timeline labels it. */
export function senderName(m: MessageView, you: string): string {
  if (m.direction === 'out') return you;
  return m.from_name || m.from;
}

/** shortAddress turns "Name <addr>" into "Name"; a bare address stays. */
export function shortAddress(a: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<[^>]+>\s*$/.exec(a);
  return m && m[1] ? m[1] : a.trim();
}

/** formatSize prints a byte count as "820 B", "14 KB", "2.1 MB". */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}
