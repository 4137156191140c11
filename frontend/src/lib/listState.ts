// Pure list logic: moving the cursor, what an optimistic status change does
// to the visible list, multi-selection, and which rows a virtualized list
// draws. Unit tested; the components only call these.

import type { ConversationView, Status, ViewStatus } from './types';

/** move returns the ID delta rows away from current (clamped), or the first
 * row when nothing is current. */
export function move(ids: readonly string[], current: string | null, delta: number): string | null {
  if (ids.length === 0) return null;
  const i = current === null ? -1 : ids.indexOf(current);
  if (i < 0) return delta >= 0 ? ids[0] : ids[ids.length - 1];
  const j = Math.min(ids.length - 1, Math.max(0, i + delta));
  return ids[j];
}

/** belongs says whether a conversation with this status shows in a status view. */
export function belongs(view: ViewStatus, status: Status): boolean {
  return view === 'all' || view === status;
}

/** afterStatusChange applies a status change to the visible list at once
 * (before the backend answers): rows that leave the view are removed, and the
 * cursor moves to the next row (or the previous at the end). */
export function afterStatusChange(
  list: readonly ConversationView[],
  ids: readonly string[],
  status: Status,
  view: ViewStatus,
  current: string | null,
  snoozedUntil = '',
): { list: ConversationView[]; current: string | null } {
  const changing = new Set(ids);
  const updated = list.map((c) =>
    changing.has(c.id) ? { ...c, status, snoozed_until: status === 'snoozed' ? snoozedUntil : undefined } : c,
  );
  if (belongs(view, status)) return { list: updated, current };
  const kept = updated.filter((c) => !changing.has(c.id));
  let next = current;
  if (current !== null && changing.has(current)) {
    const i = list.findIndex((c) => c.id === current);
    // The first row after i that stays, else the last one before it.
    next = null;
    for (let j = i + 1; j < list.length; j++) {
      if (!changing.has(list[j].id)) {
        next = list[j].id;
        break;
      }
    }
    if (next === null) {
      for (let j = i - 1; j >= 0; j--) {
        if (!changing.has(list[j].id)) {
          next = list[j].id;
          break;
        }
      }
    }
  }
  return { list: kept, current: next };
}

/** patch replaces fields of one conversation in the list. */
export function patch(list: readonly ConversationView[], id: string, fields: Partial<ConversationView>): ConversationView[] {
  return list.map((c) => (c.id === id ? { ...c, ...fields } : c));
}

/** Selection is a set of checked rows plus the anchor of the last click, for
 * shift-click ranges. */
export interface Selection {
  ids: Set<string>;
  anchor: string | null;
}

export const emptySelection = (): Selection => ({ ids: new Set(), anchor: null });

/** select applies a click on id: plain toggles it, shift adds the range from
 * the anchor. */
export function select(sel: Selection, order: readonly string[], id: string, shift = false): Selection {
  const ids = new Set(sel.ids);
  if (shift && sel.anchor !== null) {
    const a = order.indexOf(sel.anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) {
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) ids.add(order[i]);
      return { ids, anchor: sel.anchor };
    }
  }
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** prune keeps only selected rows still in the list. */
export function prune(sel: Selection, order: readonly string[]): Selection {
  const present = new Set(order);
  const ids = new Set([...sel.ids].filter((id) => present.has(id)));
  return { ids, anchor: sel.anchor !== null && present.has(sel.anchor) ? sel.anchor : null };
}

/** The rows a virtualized list draws: [start, end) plus the offset of the
 * first one. Rows have one fixed height, so nothing shifts while scrolling. */
export interface Window {
  start: number;
  end: number;
  offset: number;
  total: number;
}

/** Overscan is how many rows a virtualized list draws beyond the visible
 * ones: as many on each side (a number), or so many above (before) and
 * below (after). */
export type Overscan = number | { before: number; after: number };

function sides(o: Overscan): { before: number; after: number } {
  return typeof o === 'number' ? { before: o, after: o } : o;
}

/** ahead splits an overscan into rows ahead of the scroll (where rows are
 * about to show) and behind it: below when scrolling down, above when up. */
export function ahead(rowsAhead: number, rowsBehind: number, down: boolean): { before: number; after: number } {
  return down ? { before: rowsBehind, after: rowsAhead } : { before: rowsAhead, after: rowsBehind };
}

export function visibleWindow(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: Overscan = 8): Window {
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total };
  const { before, after } = sides(overscan);
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first - before));
  const end = Math.min(count, first + visible + after);
  return { start, end, offset: start * rowHeight, total };
}

/** scrollToShow returns the scrollTop that brings row index into view,
 * moving as little as possible (unchanged when it is already visible). */
export function scrollToShow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return bottom - viewport;
  return scrollTop;
}

/** How many rows past the drawn ones a list keeps loaded: fetching the next
 * page starts this far from the end, so a fast scroll (a few thousand rows
 * a second) does not reach the end before the page arrives. */
export const PREFETCH_ROWS = 300;

/** needsMore says whether the list should fetch the next page: when the
 * drawn rows come within ahead rows (and at least a screen) of the end of
 * what is loaded. */
export function needsMore(w: Window, loaded: number, pageDone: boolean, ahead = PREFETCH_ROWS): boolean {
  if (pageDone) return false;
  return w.end + Math.max(ahead, w.end - w.start) >= loaded;
}

/** waitingForMore says whether the user waits for the next page: one is
 * on its way and the drawn rows have reached the end of what is loaded.
 * Only then does the list say it is loading more (a page fetched ahead,
 * while the user still has rows to read, is not shown: showing and hiding
 * the notice costs a scrolled frame its budget in WebKitGTK). */
export function waitingForMore(w: Window, loaded: number, loading: boolean, pageDone: boolean): boolean {
  return loading && !pageDone && loaded > 0 && w.end >= loaded;
}

/** poolSize is how many row elements a virtualized list keeps: the most
 * rows visibleWindow can return for this viewport (a screen, one partly
 * shown row, and the overscan above and below; the same whichever way
 * an ahead() overscan points). */
export function poolSize(viewport: number, rowHeight: number, overscan: Overscan = 8): number {
  if (rowHeight <= 0) return 1;
  const { before, after } = sides(overscan);
  return Math.ceil(Math.max(0, viewport) / rowHeight) + 1 + before + after;
}

/** filled widens the window [start, end) to pool rows where the list has
 * them (at its top, the rows below; at its end, those above), so a list
 * keeps the same number of row elements wherever it is scrolled. */
export function filled(start: number, end: number, pool: number, count: number): { start: number; end: number } {
  if (end - start >= pool || count <= 0) return { start, end };
  const s = Math.max(0, Math.min(start, count - pool));
  return { start: s, end: Math.min(count, s + pool) };
}

/** A drawn row: the element (slot) that draws row index of the list. */
export interface Cell<T> {
  slot: number;
  index: number;
  item: T;
}

/** slotCells assigns the rows [start, end) to a pool of recycled elements:
 * row i is drawn by slot i % pool, so a row keeps its element while it
 * stays in the window and a row entering takes the element of one that
 * left (scrolling rewrites a few elements' text; it creates none). The
 * cells come ordered by slot, so the elements never move in the DOM; a
 * cell of prev that draws the same row of the same item is returned as is,
 * so its element is not touched at all. */
export function slotCells<T>(items: readonly T[], start: number, end: number, pool: number, prev: readonly Cell<T>[] = []): Cell<T>[] {
  end = Math.min(end, items.length);
  if (end <= start) return [];
  // A window larger than the pool (never, with poolSize) still draws every
  // row once, in more slots.
  pool = Math.max(pool, end - start);
  // prev is ordered by slot: walk it alongside (no map built per scroll).
  let k = 0;
  const cells: Cell<T>[] = [];
  const first = start % pool;
  for (let slot = 0; slot < pool; slot++) {
    const index = start + ((slot - first + pool) % pool);
    if (index >= end) continue;
    const item = items[index];
    while (k < prev.length && prev[k].slot < slot) k++;
    const was = k < prev.length && prev[k].slot === slot ? prev[k] : undefined;
    cells.push(was && was.index === index && was.item === item ? was : { slot, index, item });
  }
  return cells;
}
