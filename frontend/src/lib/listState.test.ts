import { describe, expect, it } from 'vitest';
import {
  afterStatusChange,
  emptySelection,
  ahead,
  filled,
  move,
  needsMore,
  poolSize,
  waitingForMore,
  prune,
  scrollToShow,
  select,
  slotCells,
  visibleWindow,
} from './listState';
import type { ConversationView, Status } from './types';

function conv(id: string, status: Status = 'open'): ConversationView {
  return {
    id,
    subject: 's' + id,
    status,
    channel: 'email',
    contact: { id: 'c' + id, name: 'n' + id, identities: [] },
    message_count: 1,
    unread_count: 0,
    last_message_at: '2026-03-10T10:00:00Z',
    preview: '',
    labels: [],
  };
}

const ids = ['a', 'b', 'c', 'd'];

describe('move', () => {
  const cases: [string, string | null, number, string | null][] = [
    ['down one', 'b', 1, 'c'],
    ['up one', 'b', -1, 'a'],
    ['stops at the end', 'd', 1, 'd'],
    ['stops at the top', 'a', -1, 'a'],
    ['from nothing, down is the first', null, 1, 'a'],
    ['from nothing, up is the last', null, -1, 'd'],
    ['a missing current restarts', 'zz', 1, 'a'],
  ];
  for (const [name, cur, d, want] of cases) it(name, () => expect(move(ids, cur, d)).toBe(want));
  it('an empty list has no cursor', () => expect(move([], 'a', 1)).toBeNull());
});

describe('afterStatusChange', () => {
  const list = ids.map((id) => conv(id));

  it('closing in Open removes the row and moves to the next', () => {
    const r = afterStatusChange(list, ['b'], 'closed', 'open', 'b');
    expect(r.list.map((c) => c.id)).toEqual(['a', 'c', 'd']);
    expect(r.current).toBe('c');
  });
  it('closing the last row moves to the previous', () => {
    const r = afterStatusChange(list, ['d'], 'closed', 'open', 'd');
    expect(r.current).toBe('c');
  });
  it('closing every row leaves no cursor', () => {
    const r = afterStatusChange(list, ids, 'closed', 'open', 'a');
    expect(r.list).toEqual([]);
    expect(r.current).toBeNull();
  });
  it('in All the row stays with its new status', () => {
    const r = afterStatusChange(list, ['b'], 'closed', 'all', 'b');
    expect(r.list.map((c) => c.status)).toEqual(['open', 'closed', 'open', 'open']);
    expect(r.current).toBe('b');
  });
  it('bulk close skips the other closed rows when moving', () => {
    const r = afterStatusChange(list, ['b', 'c'], 'closed', 'open', 'b');
    expect(r.current).toBe('d');
  });
  it('snoozing records the time', () => {
    const r = afterStatusChange(list, ['a'], 'snoozed', 'all', 'a', '2026-03-11T08:00:00Z');
    expect(r.list[0].snoozed_until).toBe('2026-03-11T08:00:00Z');
  });
  it('does not change the input', () => {
    afterStatusChange(list, ['a'], 'closed', 'open', 'a');
    expect(list.map((c) => c.status)).toEqual(['open', 'open', 'open', 'open']);
  });
});

describe('selection', () => {
  it('click toggles', () => {
    let s = select(emptySelection(), ids, 'b');
    expect([...s.ids]).toEqual(['b']);
    s = select(s, ids, 'b');
    expect(s.ids.size).toBe(0);
  });
  it('shift-click adds the range from the anchor', () => {
    let s = select(emptySelection(), ids, 'a');
    s = select(s, ids, 'c', true);
    expect([...s.ids].sort()).toEqual(['a', 'b', 'c']);
  });
  it('prune drops rows that left the list', () => {
    const s = prune({ ids: new Set(['a', 'x']), anchor: 'x' }, ids);
    expect([...s.ids]).toEqual(['a']);
    expect(s.anchor).toBeNull();
  });
});

describe('visibleWindow', () => {
  it('draws only what is on screen plus overscan', () => {
    const w = visibleWindow(72 * 1000, 720, 72, 100000, 5);
    expect(w.start).toBe(995);
    expect(w.end).toBe(1000 + 11 + 5);
    expect(w.offset).toBe(995 * 72);
    expect(w.total).toBe(7200000);
  });
  it('clamps at the top and bottom', () => {
    expect(visibleWindow(-50, 720, 72, 3).start).toBe(0);
    expect(visibleWindow(0, 720, 72, 3).end).toBe(3);
    expect(visibleWindow(0, 720, 72, 0)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });
  it('keeps the drawn row count bounded for any list size', () => {
    for (const n of [10, 1000, 100000, 1000000]) {
      const w = visibleWindow(n * 36, 900, 72, n);
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(900 / 72) + 1 + 16);
    }
  });
});

describe('ahead', () => {
  it('puts the overscan below when scrolling down', () => {
    const w = visibleWindow(72 * 100, 720, 72, 1000, ahead(3, 1, true));
    expect(w.start).toBe(99);
    expect(w.end).toBe(100 + 11 + 3);
  });
  it('and above when scrolling up', () => {
    const w = visibleWindow(72 * 100, 720, 72, 1000, ahead(3, 1, false));
    expect(w.start).toBe(97);
    expect(w.end).toBe(100 + 11 + 1);
  });
  it('keeps the pool the same size either way', () => {
    expect(poolSize(700, 72, ahead(3, 1, true))).toBe(poolSize(700, 72, ahead(3, 1, false)));
    expect(poolSize(700, 72, ahead(3, 1, true))).toBe(poolSize(700, 72, 2));
  });
  it('a pool holds every window of either direction', () => {
    for (const down of [true, false]) {
      const pool = poolSize(700, 72, ahead(3, 1, down));
      for (let top = 0; top < 72 * 300; top += 37) {
        const w = visibleWindow(top, 700, 72, 250, ahead(3, 1, down));
        expect(w.end - w.start).toBeLessThanOrEqual(pool);
        expect(filled(w.start, w.end, pool, 250).end - filled(w.start, w.end, pool, 250).start).toBe(pool);
      }
    }
  });
});

describe('scrollToShow', () => {
  it('leaves a visible row alone', () => expect(scrollToShow(2, 0, 720, 72)).toBe(0));
  it('scrolls up to a row above', () => expect(scrollToShow(1, 720, 720, 72)).toBe(72));
  it('scrolls down just enough for a row below', () => expect(scrollToShow(10, 0, 720, 72)).toBe(72));
});

describe('needsMore', () => {
  it('asks for more near the end', () => expect(needsMore({ start: 180, end: 195, offset: 0, total: 0 }, 200, false)).toBe(true));
  it('asks for more a prefetch distance ahead', () => expect(needsMore({ start: 0, end: 20, offset: 0, total: 0 }, 200, false)).toBe(true));
  it('not when far from the end', () => expect(needsMore({ start: 0, end: 20, offset: 0, total: 0 }, 400, false)).toBe(false));
  it('the distance is at least a screen', () => expect(needsMore({ start: 0, end: 20, offset: 0, total: 0 }, 39, false, 0)).toBe(true));
  it('not when everything is loaded', () => expect(needsMore({ start: 180, end: 200, offset: 0, total: 0 }, 200, true)).toBe(false));
});

describe('waitingForMore', () => {
  const at = (start: number, end: number) => ({ start, end, offset: 0, total: 0 });
  it('when the drawn rows reach the end of what is loaded while a page comes', () => expect(waitingForMore(at(190, 200), 200, true, false)).toBe(true));
  it('not while rows are left to read (a page fetched ahead)', () => expect(waitingForMore(at(0, 20), 200, true, false)).toBe(false));
  it('not when no page is on its way', () => expect(waitingForMore(at(190, 200), 200, false, false)).toBe(false));
  it('not when everything is loaded', () => expect(waitingForMore(at(190, 200), 200, true, true)).toBe(false));
  it('not for an empty list (its first page has its own notice)', () => expect(waitingForMore(at(0, 0), 0, true, false)).toBe(false));
});

describe('poolSize', () => {
  it('holds every window visibleWindow returns for the viewport', () => {
    for (const viewport of [0, 71, 72, 700, 721, 1000]) {
      const pool = poolSize(viewport, 72, 8);
      for (let top = 0; top < 72 * 300; top += 37) {
        const w = visibleWindow(top, viewport, 72, 250, 8);
        expect(w.end - w.start, `viewport ${viewport} top ${top}`).toBeLessThanOrEqual(pool);
      }
    }
  });
});

describe('slotCells', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ id: 'c' + i }));

  it('draws row i with slot i % pool, ordered by slot', () => {
    const cells = slotCells(items, 7, 12, 5);
    expect(cells.map((c) => [c.slot, c.index])).toEqual([
      [0, 10],
      [1, 11],
      [2, 7],
      [3, 8],
      [4, 9],
    ]);
    expect(cells.every((c) => c.item === items[c.index])).toBe(true);
  });

  it('keeps the cells of rows that stay and recycles the slots of rows that left', () => {
    const a = slotCells(items, 0, 10, 10);
    const b = slotCells(items, 3, 13, 10, a);
    // Rows 3..9 stay in their slots, untouched (same objects).
    for (let i = 3; i < 10; i++) expect(b.find((c) => c.index === i)).toBe(a[i]);
    // Rows 10..12 take the slots rows 0..2 had.
    expect(b.filter((c) => c.index >= 10).map((c) => c.slot)).toEqual([0, 1, 2]);
    expect(b.map((c) => c.slot)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives a new cell when the row at an index is another item', () => {
    const a = slotCells(items, 0, 5, 8);
    const changed = [...items];
    changed[2] = { id: 'new' };
    const b = slotCells(changed, 0, 5, 8, a);
    expect(b[2]).not.toBe(a[2]);
    expect(b[2].item.id).toBe('new');
    expect(b[1]).toBe(a[1]);
  });

  it('draws only rows that exist, and nothing for an empty window', () => {
    expect(slotCells(items, 98, 105, 10).map((c) => c.index)).toEqual([98, 99]);
    expect(slotCells([], 0, 10, 10)).toEqual([]);
    expect(slotCells(items, 5, 5, 10)).toEqual([]);
  });

  it('draws every row of a window larger than the pool once', () => {
    const cells = slotCells(items, 0, 20, 10);
    expect(cells.map((c) => c.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(cells.map((c) => c.slot)).size).toBe(20);
  });
});

describe('filled', () => {
  it('draws pool rows at the top of a long list', () => expect(filled(0, 19, 27, 1000)).toEqual({ start: 0, end: 27 }));
  it('draws pool rows at its end', () => expect(filled(985, 1000, 27, 1000)).toEqual({ start: 973, end: 1000 }));
  it('leaves a full window alone', () => expect(filled(100, 127, 27, 1000)).toEqual({ start: 100, end: 127 }));
  it('draws a short list whole', () => expect(filled(0, 5, 27, 5)).toEqual({ start: 0, end: 5 }));
  it('keeps every window of a scroll pool-sized', () => {
    for (let top = 0; top < 72 * 500; top += 50) {
      const w = visibleWindow(top, 700, 72, 500, 8);
      const f = filled(w.start, w.end, poolSize(700, 72, 8), 500);
      expect(f.end - f.start).toBe(poolSize(700, 72, 8));
      expect(f.start).toBeLessThanOrEqual(w.start);
      expect(f.end).toBeGreaterThanOrEqual(w.end);
    }
  });
});
