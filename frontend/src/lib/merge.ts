// Conversation merge: which conversations the "Merge into…" picker offers,
// and which of two selected conversations the other goes into. Pure, so
// it is unit tested.

import type { ConversationView } from './types';

export interface MergeChoices {
  /** The same customer's other conversations. */
  customer: ConversationView[];
  /** Recent conversations (or search matches), without those above. */
  others: ConversationView[];
}

function matches(c: ConversationView, q: string): boolean {
  if (!q) return true;
  const hay = `${c.subject}\n${c.contact?.name ?? ''}\n${c.preview}\n${(c.contact?.identities ?? []).map((i) => i.address).join(' ')}`;
  return hay.toLowerCase().includes(q);
}

/** mergeChoices lists what the picker offers for merging `current` away:
 * the customer's other conversations first, then the rest (recent ones, or
 * what the search found), each once, never `current`, filtered by the
 * typed text. */
export function mergeChoices(current: string, customer: ConversationView[], others: ConversationView[], query: string, limit = 30): MergeChoices {
  const q = query.trim().toLowerCase();
  const seen = new Set<string>([current]);
  const take = (list: ConversationView[], found: boolean) => {
    const out: ConversationView[] = [];
    for (const c of list) {
      if (seen.has(c.id) || out.length >= limit) continue;
      // Search results matched in Go (bodies too); local lists by their text.
      if (!found && !matches(c, q)) continue;
      seen.add(c.id);
      out.push(c);
    }
    return out;
  };
  const mine = take(customer, false);
  return { customer: mine, others: take(others, q !== '') };
}

/** mergePair decides the direction of merging two selected conversations:
 * the one with the older last message goes into the newer one, which stays
 * in place in the list. */
export function mergePair(a: ConversationView, b: ConversationView): { into: ConversationView; from: ConversationView } {
  const ta = Date.parse(a.last_message_at) || 0;
  const tb = Date.parse(b.last_message_at) || 0;
  if (tb > ta || (tb === ta && b.id > a.id)) return { into: b, from: a };
  return { into: a, from: b };
}
