// The keyboard map: which key does what. Pure, so it is unit tested; App
// feeds it key events and runs the action it names.

export type Action =
  | 'next'
  | 'prev'
  | 'open'
  | 'close'
  | 'pending'
  | 'snooze'
  | 'label'
  | 'note'
  | 'reply'
  | 'replyAll'
  | 'forward'
  | 'compose'
  | 'markUnread'
  | 'toggleSelect'
  | 'selectAll'
  | 'search'
  | 'help'
  | 'escape'
  | 'goOpen'
  | 'goPending'
  | 'goSnoozed'
  | 'goClosed'
  | 'goAll'
  | 'merge';

/** The parts of a KeyboardEvent the map looks at. */
export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  /** True when focus is in a text field, where letters are typing. */
  inField?: boolean;
}

const single: Record<string, Action> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'prev',
  ArrowUp: 'prev',
  Enter: 'open',
  o: 'open',
  e: 'close',
  p: 'pending',
  s: 'snooze',
  l: 'label',
  n: 'note',
  r: 'reply',
  a: 'replyAll',
  f: 'forward',
  c: 'compose',
  u: 'markUnread',
  m: 'merge',
  x: 'toggleSelect',
  '/': 'search',
  '?': 'help',
  Escape: 'escape',
};

// "g" then a letter goes to a view.
const afterG: Record<string, Action> = {
  i: 'goOpen',
  o: 'goOpen',
  p: 'goPending',
  s: 'goSnoozed',
  c: 'goClosed',
  a: 'goAll',
};

/** KeyMap turns key events into actions; it remembers a pending "g". */
export class KeyMap {
  private pendingG = false;

  /** action returns the action for e, or null when the key is not ours
   * (typing in a field, a modifier chord, an unknown key). */
  action(e: KeyInput): Action | null {
    if (e.ctrlKey || e.metaKey || e.altKey) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'a' && !e.inField) return 'selectAll';
      return null;
    }
    if (e.inField) {
      // In a field only Escape leaves it.
      return e.key === 'Escape' ? 'escape' : null;
    }
    if (this.pendingG) {
      this.pendingG = false;
      return afterG[e.key] ?? null;
    }
    if (e.key === 'g') {
      this.pendingG = true;
      return null;
    }
    return single[e.key] ?? null;
  }
}

/** isField says whether an element takes text, so letters are typing there. */
export function isField(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return (el as HTMLElement).isContentEditable === true;
}
