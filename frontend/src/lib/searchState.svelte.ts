// The search box's state: the query as typed, its check (a malformed query
// shows where it is wrong instead of an empty list), the results grouped
// by conversation, their order, the saved search being shown. Typing is
// debounced; an answer to an older query is dropped.

import { api, searchApi, type QueryCheck, type SearchHit } from './api';
import { inbox } from './inbox.svelte';
import { debounce, type SearchOrder } from './search';
import { ts } from './searchStrings';
import type { SavedSearchView } from './types';

export const SEARCH_PAGE = 50;
export const SEARCH_DEBOUNCE_MS = 150;

const OK: QueryCheck = { ok: true, pos: 0, len: 0 };

export class SearchState {
  query = $state('');
  check = $state.raw<QueryCheck>(OK);
  hits = $state.raw<SearchHit[]>([]);
  next = $state('');
  order = $state<SearchOrder>('newest');
  loading = $state(false);
  error = $state('');
  /** The index of the highlighted result (Enter opens it). */
  cursor = $state(0);
  /** The saved search whose results are shown, if any. */
  saved = $state.raw<SavedSearchView | null>(null);
  /** The query whose results are shown (data-query for tests). */
  shown = $state('');

  private token = 0;
  private debounced = debounce(() => void this.run(), SEARCH_DEBOUNCE_MS);

  /** active: the list column shows search results instead of a view. */
  get active(): boolean {
    return this.query.trim() !== '' || this.saved !== null;
  }

  /** input takes the box's text as the user types. */
  input(q: string): void {
    this.query = q;
    this.saved = null;
    if (!q.trim()) {
      this.clear();
      return;
    }
    this.debounced();
  }

  /** now runs a pending search at once (Enter). */
  now(): void {
    this.debounced.flush();
  }

  /** run checks the query and, when it is well formed, searches. */
  async run(): Promise<void> {
    const q = this.query;
    const saved = this.saved;
    const token = ++this.token;
    if (!q.trim()) return;
    this.loading = true;
    try {
      const c = await searchApi.check(q);
      if (token !== this.token) return;
      this.check = c;
      if (!c.ok) {
        this.hits = [];
        this.next = '';
        this.error = '';
        this.shown = q;
        return;
      }
      const page =
        saved && this.order === 'newest'
          ? await searchApi.savedResults(saved.id, SEARCH_PAGE)
          : await searchApi.page(q, this.order, SEARCH_PAGE);
      if (token !== this.token) return;
      this.hits = page.hits ?? [];
      this.next = page.next ?? '';
      this.cursor = 0;
      this.error = '';
      this.shown = q;
    } catch (e) {
      if (token === this.token) this.error = ts.search.failed(msg(e));
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  /** more loads the next page of results. */
  async more(): Promise<void> {
    if (!this.next || this.loading) return;
    const token = ++this.token;
    this.loading = true;
    try {
      const page = await searchApi.page(this.query, this.order, SEARCH_PAGE, this.next);
      if (token !== this.token) return;
      const seen = new Set(this.hits.map((h) => h.conversation_id));
      this.hits = [...this.hits, ...(page.hits ?? []).filter((h) => !seen.has(h.conversation_id))];
      this.next = page.next ?? '';
    } catch (e) {
      if (token === this.token) this.error = ts.search.failed(msg(e));
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  setOrder(o: SearchOrder): void {
    if (o === this.order) return;
    this.order = o;
    if (this.active) void this.run();
  }

  /** clear empties the box and goes back to the view. */
  clear(): void {
    this.debounced.cancel();
    this.token++;
    this.query = '';
    this.check = OK;
    this.hits = [];
    this.next = '';
    this.error = '';
    this.saved = null;
    this.shown = '';
    this.loading = false;
    this.cursor = 0;
  }

  /** openSaved shows a saved search's results (a sidebar view). */
  openSaved(s: SavedSearchView): void {
    this.debounced.cancel();
    this.query = s.query;
    this.saved = s;
    void this.run();
  }

  /** save keeps the query as a sidebar view under name. */
  async save(name: string): Promise<SavedSearchView> {
    const v = await searchApi.save(name.trim(), this.query.trim());
    this.saved = v;
    await inbox.loadOverview();
    return v;
  }

  async remove(s: SavedSearchView): Promise<void> {
    await searchApi.remove(s.id);
    if (this.saved?.id === s.id) this.saved = null;
    await inbox.loadOverview();
  }

  move(delta: number): void {
    if (this.hits.length === 0) return;
    this.cursor = Math.max(0, Math.min(this.hits.length - 1, this.cursor + delta));
  }

  /** openAt opens the conversation of result i. */
  openAt(i: number): void {
    const h = this.hits[i];
    if (!h) return;
    this.cursor = i;
    inbox.open(h.conversation_id, true);
    // The view's list marks what it holds read as it opens; a result from
    // outside it is marked here.
    if (!inbox.list.some((c) => c.id === h.conversation_id)) {
      api.markRead(h.conversation_id, true).catch(() => {});
    }
  }
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const search = new SearchState();
