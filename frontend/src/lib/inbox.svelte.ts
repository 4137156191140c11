// The window's state: the sidebar overview, the current view and its list,
// the open conversation, the selection. Actions update the state at once
// (optimistically) and then call the backend; a failure puts the old state
// back and shows the error next to where it happened.

import { tick } from 'svelte';
import { api, onChanged, ready, setWindowTitle } from './api';
import { afterPaint, type Boot } from './boot';
import { untilShown } from './show';
import { afterStatusChange, emptySelection, move, patch, prune, select, type Selection } from './listState';
import { t } from './strings';
import type { ConversationView, Overview, Status, ThreadView, ViewStatus } from './types';

export const PAGE = 200;

/** How long a conversation passed over with j/k stays in view before it
 * counts as read. */
export const LINGER_MS = 1200;

/** Presses of j/k closer than this are one burst: only its first and last
 * conversations are loaded. */
export const OPEN_BURST_MS = 60;

type ReadMode = boolean | 'linger';

export type View =
  | { kind: 'status'; status: ViewStatus }
  | { kind: 'label'; name: string }
  | { kind: 'search'; query: string; name?: string };

export function viewKey(v: View): string {
  switch (v.kind) {
    case 'status':
      return 'status:' + v.status;
    case 'label':
      return 'label:' + v.name;
    case 'search':
      return 'search:' + v.query;
  }
}

/** Where an error happened, so it is shown there. */
export type ErrorPlace = 'list' | 'conversation' | 'sidebar' | 'welcome' | 'note' | 'search';

export class InboxState {
  // Raw state: these are replaced whole, never mutated in place, so they
  // need no deep proxies (which would cost dearly on 100,000 rows).
  overview = $state.raw<Overview | null>(null);
  overviewError = $state('');
  view = $state<View>({ kind: 'status', status: 'open' });
  list = $state.raw<ConversationView[]>([]);
  listDone = $state(false);
  listLoading = $state(false);
  /** The view the list holds now (viewKey), once its rows arrived. */
  listView = $state('');
  current = $state<string | null>(null);
  thread = $state.raw<ThreadView | null>(null);
  threadLoading = $state(false);
  selection = $state.raw<Selection>(emptySelection());
  errors = $state<Partial<Record<ErrorPlace, string>>>({});
  demoLoading = $state(false);
  /** The account form is open. */
  accountForm = $state(false);
  /** A passing message for the whole window ("Shop mail is connected"). */
  notice = $state('');
  /** Counts the backend's change events, for panels that reload on them. */
  revision = $state(0);

  private listToken = 0;
  private threadToken = 0;
  private threadTimer: ReturnType<typeof setTimeout> | null = null;
  /** Until when further j/k presses count as one burst (open). */
  private burstUntil = 0;
  private readTimer: ReturnType<typeof setTimeout> | null = null;
  private stop: (() => void) | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  /** Resolves once the bindings answer (start). */
  private connected: Promise<void> = Promise.resolve();

  /** The view's status, when it is a status view (for optimistic moves). */
  get viewStatus(): ViewStatus | null {
    return this.view.kind === 'status' ? this.view.status : null;
  }

  get currentSummary(): ConversationView | null {
    return this.list.find((c) => c.id === this.current) ?? null;
  }

  /** start shows the first page as soon as there is one: from boot (the
   * page index.html fetched while the script loaded) at once, without
   * waiting for the bindings; else through the bindings, the counts and the
   * first page at once (the list does not wait for the sidebar's counts).
   * It resolves when there is something to show (rows, or the first-launch
   * screen). */
  async start(boot: Promise<Boot | null> = Promise.resolve(null)): Promise<void> {
    const b = await boot;
    if (b && b.list && b.list.length > 0 && b.view === viewKey(this.view)) {
      performance.mark('tidings:list');
      const token = ++this.listToken;
      this.list = b.list;
      this.listView = b.view;
      this.listDone = b.list.length < b.limit;
      // Everything else waits until the rows are on screen (painted, and
      // the window asked to show them: lib/show.ts).
      this.listLoading = true;
      this.connected = afterPaint()
        .then(() => untilShown())
        .then(() => ready())
        .then(() => {
          if (token === this.listToken) this.listLoading = false;
          this.stop = onChanged((ids) => this.changed(ids));
          void this.loadOverview();
          if (token === this.listToken && this.current === null && this.list.length > 0) this.open(this.list[0].id, true, false);
        });
      this.connected.catch((e) => this.setError('list', msg(e)));
      this.reportFirstRows();
      return;
    }
    await ready();
    this.connected = Promise.resolve();
    this.stop = onChanged((ids) => this.changed(ids));
    const overview = this.loadOverview();
    const list = this.loadList(true);
    await Promise.race([list, overview.then(() => (this.overview?.empty ? undefined : list))]);
    this.reportFirstRows();
  }

  /** reportFirstRows tells the Go side (its log, read by the speed
   * benchmark) when the first rows were painted, in ms since navigation,
   * and when the steps before it happened. */
  private reportFirstRows(): void {
    if (this.list.length === 0) return;
    const dom = performance.now();
    let built = -1;
    let frame = -1;
    void tick().then(() => (built = performance.now()));
    requestAnimationFrame(() => (frame = performance.now()));
    void afterPaint()
      .then(() => {
        const ms = performance.now();
        const mark = (n: string) => performance.getEntriesByName(n)[0]?.startTime ?? -1;
        const boot = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/tidings/boot.json')) as PerformanceResourceTiming | undefined;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const steps = { html: nav ? nav.responseEnd : -1, parsed: nav ? nav.domInteractive : -1, boot: boot ? boot.responseEnd : -1, script: mark('tidings:script'), data: mark('tidings:list'), dom, built, shell: mark('tidings:shell'), frame, shown: (window as { __tidingsShown?: number }).__tidingsShown ?? -1, origin: performance.timeOrigin };
        // To the asset server (app/boot.go), which answers before the
        // bindings are ready; a stand-in server without it answers 404.
        const q = new URLSearchParams({ ms: String(ms) });
        for (const [k, v] of Object.entries(steps)) q.set(k, String(v));
        return fetch('/tidings/painted?' + q.toString());
      })
      .catch(() => {});
  }

  dispose(): void {
    this.stop?.();
  }

  setError(place: ErrorPlace, msg: string): void {
    this.errors = { ...this.errors, [place]: msg };
  }

  clearError(place: ErrorPlace): void {
    if (!this.errors[place]) return;
    const { [place]: _, ...rest } = this.errors;
    this.errors = rest;
  }

  async loadOverview(): Promise<void> {
    try {
      this.overview = await api.overview();
      performance.mark('tidings:overview');
      this.overviewError = '';
      setWindowTitle(t.title(this.overview.statuses.open?.unread ?? 0));
    } catch (e) {
      this.overviewError = t.errors.loadFailed(msg(e));
    }
  }

  async setView(v: View): Promise<void> {
    this.view = v;
    this.selection = emptySelection();
    this.clearError('list');
    await this.loadList(true);
  }

  /** loadList loads the view's first page (reset) or reloads what is loaded. */
  async loadList(reset: boolean): Promise<void> {
    const token = ++this.listToken;
    const limit = reset ? PAGE : Math.max(PAGE, Math.min(this.list.length, 2000));
    this.listLoading = true;
    try {
      const rows = await api.conversations(this.listOptions({ limit }));
      performance.mark('tidings:list');
      if (token !== this.listToken) return;
      this.list = rows;
      this.listView = viewKey(this.view);
      this.listDone = rows.length < limit;
      this.clearError('list');
      this.selection = prune(this.selection, rows.map((r) => r.id));
      if (reset) {
        this.current = null;
        this.thread = null;
        if (rows.length > 0) this.open(rows[0].id, true, false);
      }
    } catch (e) {
      if (token !== this.listToken) return;
      if (reset) this.list = [];
      this.setError('list', msg(e));
    } finally {
      if (token === this.listToken) this.listLoading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (this.listDone || this.listLoading || this.list.length === 0) return;
    const token = ++this.listToken;
    this.listLoading = true;
    try {
      const after = this.list[this.list.length - 1].id;
      const rows = await api.conversations(this.listOptions({ limit: PAGE, after }));
      if (token !== this.listToken) return;
      // A conversation that moved up while paging may come again: leave it
      // out. Checked against this page's ids (no set of the whole list is
      // built per page: that garbage, at 100,000 rows, costs a long pause).
      const page = new Set(rows.map((r) => r.id));
      const again = new Set<string>();
      for (const c of this.list) if (page.has(c.id)) again.add(c.id);
      this.list = this.list.concat(again.size ? rows.filter((r) => !again.has(r.id)) : rows);
      this.listDone = rows.length < PAGE;
    } catch (e) {
      if (token === this.listToken) this.setError('list', msg(e));
    } finally {
      if (token === this.listToken) this.listLoading = false;
    }
  }

  private listOptions(extra: { limit: number; after?: string }) {
    const v = this.view;
    if (v.kind === 'status') return { status: v.status, ...extra };
    if (v.kind === 'label') return { status: 'all', label: v.name, ...extra };
    return { status: 'all', query: v.query, ...extra };
  }

  /** open shows a conversation; a burst of calls (holding j) loads the
   * first at once and then only the last, once the burst pauses.
   * A conversation the user opens is marked read (read = true); one passed
   * over with j/k only once it stayed in view a moment (read = 'linger');
   * the one shown by itself when a view loads (read = false) stays unread. */
  open(id: string | null, immediate = false, read: ReadMode = true): void {
    this.current = id;
    if (this.threadTimer) clearTimeout(this.threadTimer);
    if (id === null) {
      this.thread = null;
      return;
    }
    const now = performance.now();
    const inBurst = now < this.burstUntil;
    this.burstUntil = now + OPEN_BURST_MS;
    if (immediate || !inBurst) void this.loadThread(id, false, read);
    else this.threadTimer = setTimeout(() => void this.loadThread(id, false, read), OPEN_BURST_MS);
  }

  async loadThread(id: string, quiet = false, read: ReadMode = false): Promise<void> {
    const token = ++this.threadToken;
    if (!quiet) this.threadLoading = true;
    try {
      const th = await api.thread(id);
      if (token !== this.threadToken) return;
      this.thread = th;
      this.clearError('conversation');
      if (this.readTimer) clearTimeout(this.readTimer);
      if (read === 'linger') {
        this.readTimer = setTimeout(() => {
          if (this.current === id) this.markOpenedRead(id);
        }, LINGER_MS);
      } else if (read) {
        this.markOpenedRead(id);
      }
    } catch (e) {
      if (token !== this.threadToken) return;
      this.thread = null;
      this.setError('conversation', msg(e));
    } finally {
      if (token === this.threadToken) this.threadLoading = false;
    }
  }

  private markOpenedRead(id: string): void {
    const row = this.list.find((c) => c.id === id);
    if (!row || row.unread_count === 0) return;
    this.list = patch(this.list, id, { unread_count: 0 });
    api.markRead(id, true).catch((e) => this.setError('conversation', t.errors.actionFailed(t.list.markRead, msg(e))));
  }

  moveCursor(delta: number): void {
    const next = move(
      this.list.map((c) => c.id),
      this.current,
      delta,
    );
    if (next !== this.current) this.open(next, false, 'linger');
    if (delta > 0 && !this.listDone) {
      const i = this.list.findIndex((c) => c.id === next);
      if (i >= this.list.length - 20) void this.loadMore();
    }
  }

  toggleSelect(id: string, shift = false): void {
    this.selection = select(
      this.selection,
      this.list.map((c) => c.id),
      id,
      shift,
    );
  }

  selectAll(): void {
    const ids = new Set(this.list.map((c) => c.id));
    this.selection = { ids, anchor: null };
  }

  clearSelection(): void {
    this.selection = emptySelection();
  }

  /** The conversations an action applies to: the checked ones, else the open one. */
  targets(): string[] {
    if (this.selection.ids.size > 0) return [...this.selection.ids];
    return this.current ? [this.current] : [];
  }

  async setStatus(status: Status, until = '', ids = this.targets()): Promise<void> {
    if (ids.length === 0) return;
    const before = { list: this.list, current: this.current, thread: this.thread };
    const view = this.viewStatus ?? 'all';
    const res = afterStatusChange(this.list, ids, status, view, this.current, until);
    this.list = res.list;
    if (this.thread && ids.includes(this.thread.id)) {
      this.thread = { ...this.thread, status, snoozed_until: status === 'snoozed' ? until : undefined };
    }
    if (res.current !== this.current) this.open(res.current, false, 'linger');
    this.selection = prune(this.selection, res.list.map((c) => c.id));
    const failures: string[] = [];
    await Promise.all(
      ids.map((id) => api.setStatus(id, status, until).catch((e) => failures.push(msg(e)))),
    );
    if (failures.length > 0) {
      this.list = before.list;
      this.current = before.current;
      this.thread = before.thread;
      this.setError('conversation', t.errors.actionFailed(t.conv.statusBadge[status] ?? status, failures[0]));
    }
  }

  /** toggleClose closes an open conversation, or reopens a closed one. */
  async toggleClose(): Promise<void> {
    const ids = this.targets();
    if (ids.length === 0) return;
    const first = this.list.find((c) => c.id === ids[0]) ?? this.thread;
    await this.setStatus(first?.status === 'closed' ? 'open' : 'closed', '', ids);
  }

  async addLabel(name: string, ids = this.targets()): Promise<void> {
    name = name.trim();
    if (!name || ids.length === 0) return;
    const before = { list: this.list, thread: this.thread };
    this.list = this.list.map((c) => (ids.includes(c.id) && !c.labels.includes(name) ? { ...c, labels: [...c.labels, name] } : c));
    if (this.thread && ids.includes(this.thread.id) && !this.thread.labels.includes(name)) {
      this.thread = { ...this.thread, labels: [...this.thread.labels, name] };
    }
    try {
      for (const id of ids) await api.addLabel(id, name);
    } catch (e) {
      this.list = before.list;
      this.thread = before.thread;
      this.setError('conversation', t.errors.actionFailed(t.conv.addLabel, msg(e)));
    }
  }

  async removeLabel(name: string, id = this.current): Promise<void> {
    if (!id) return;
    const before = { list: this.list, thread: this.thread };
    this.list = this.list.map((c) => (c.id === id ? { ...c, labels: c.labels.filter((l) => l !== name) } : c));
    if (this.thread?.id === id) this.thread = { ...this.thread, labels: this.thread.labels.filter((l) => l !== name) };
    try {
      await api.removeLabel(id, name);
    } catch (e) {
      this.list = before.list;
      this.thread = before.thread;
      this.setError('conversation', t.errors.actionFailed(t.conv.removeLabel(name), msg(e)));
    }
  }

  async addNote(body: string): Promise<boolean> {
    const id = this.current;
    body = body.trim();
    if (!id || !body) return false;
    try {
      await api.addNote(id, body);
      this.clearError('note');
      await this.loadThread(id, true);
      return true;
    } catch (e) {
      this.setError('note', t.errors.actionFailed(t.conv.addNote, msg(e)));
      return false;
    }
  }

  async markUnread(ids = this.targets()): Promise<void> {
    for (const id of ids) {
      this.list = patch(this.list, id, { unread_count: Math.max(1, this.list.find((c) => c.id === id)?.unread_count ?? 1) });
      try {
        await api.markRead(id, false);
      } catch (e) {
        this.setError('conversation', t.errors.actionFailed(t.conv.markUnread, msg(e)));
      }
    }
  }

  async markRead(ids = this.targets()): Promise<void> {
    for (const id of ids) {
      this.list = patch(this.list, id, { unread_count: 0 });
      try {
        await api.markRead(id, true);
      } catch (e) {
        this.setError('conversation', t.errors.actionFailed(t.list.markRead, msg(e)));
      }
    }
  }

  async loadDemo(): Promise<void> {
    this.demoLoading = true;
    this.clearError('welcome');
    try {
      await api.loadDemo();
      await this.loadOverview();
      await this.setView({ kind: 'status', status: 'open' });
    } catch (e) {
      this.setError('welcome', msg(e));
    } finally {
      this.demoLoading = false;
    }
  }

  /** changed reacts to the backend's "inbox:changed": counts, the list and
   * the open conversation are reloaded, coalesced over a short moment. */
  private changed(ids: string[]): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    const touchesThread = ids.length === 0 || (this.current !== null && ids.includes(this.current));
    this.reloadTimer = setTimeout(() => {
      this.revision++;
      void this.loadOverview();
      if (this.overview && !this.overview.empty) void this.loadList(false);
      if (touchesThread && this.current) void this.loadThread(this.current, true);
    }, 50);
  }
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const inbox = new InboxState();
