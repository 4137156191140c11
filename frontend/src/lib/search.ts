// Pure helpers for the search box: highlighted snippets, the caret under a
// malformed query's mistake, debouncing, the offline signal's rules. No
// Svelte, no bindings: unit-tested in search.test.ts.

/** One piece of a snippet; hit marks where the query matched. */
export interface SnippetPart {
  text: string;
  hit?: boolean;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** escapeHTML makes text safe to place in HTML (element or attribute). */
export function escapeHTML(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

/** snippetHTML renders a snippet as HTML: every part escaped, the parts
 * that matched inside <mark>. Nothing of the message's text can become
 * markup. */
export function snippetHTML(parts: SnippetPart[] | null | undefined): string {
  if (!parts) return '';
  let out = '';
  for (const p of parts) {
    const text = escapeHTML(p.text ?? '');
    if (!text) continue;
    out += p.hit ? `<mark>${text}</mark>` : text;
  }
  return out;
}

/** The query cut around its mistake, for underlining it in place. */
export interface Caret {
  before: string;
  bad: string;
  after: string;
  /** The 1-based column (in characters) the mistake starts at. */
  column: number;
}

/** caretAt cuts query at the mistake the search engine reported. pos and
 * len count characters (Unicode code points, as Go's runes), not UTF-16
 * units, so a query with emoji or accents is cut at the right place. A
 * mistake at the very end (a missing value) underlines one blank column
 * past the text. Positions out of range are clamped. */
export function caretAt(query: string, pos: number, len: number): Caret {
  const chars = Array.from(query);
  const start = Math.max(0, Math.min(Number.isFinite(pos) ? Math.trunc(pos) : 0, chars.length));
  const n = Math.max(1, Number.isFinite(len) ? Math.trunc(len) : 1);
  const end = Math.min(chars.length, start + n);
  let bad = chars.slice(start, end).join('');
  if (bad === '') bad = ' ';
  return { before: chars.slice(0, start).join(''), bad, after: chars.slice(end).join(''), column: start + 1 };
}

/** A debounced function, with a way to cancel what is pending or run it now. */
export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
  flush(): void;
}

/** debounce calls fn once calls stop for ms; the last call's arguments win. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: A | null = null;
  const run = () => {
    timer = null;
    const args = last;
    last = null;
    if (args) fn(...args);
  };
  const d = ((...args: A) => {
    last = args;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
  }) as Debounced<A>;
  d.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = null;
  };
  d.flush = () => {
    if (timer) clearTimeout(timer);
    run();
  };
  return d;
}

/** Order of search results. */
export type SearchOrder = 'newest' | 'relevance';

// Words of Go's and the IMAP/HTTP clients' errors that mean the network is
// gone (not a wrong password or a full mailbox).
const NETWORK = [
  /dial tcp/i,
  /no such host/i,
  /network is unreachable/i,
  /no route to host/i,
  /connection refused/i,
  /connection reset/i,
  /i\/o timeout/i,
  /timed? ?out/i,
  /temporary failure in name resolution/i,
  /server misbehaving/i,
  /broken pipe/i,
  /\boffline\b/i,
  /unexpected EOF/i,
  /TLS handshake timeout/i,
];

/** isNetworkError says whether a sync error means the network is gone. */
export function isNetworkError(msg: string | null | undefined): boolean {
  if (!msg) return false;
  return NETWORK.some((re) => re.test(msg));
}

/** Offline is what the window knows of the network. */
export interface OfflineSignals {
  /** navigator.onLine */
  online: boolean;
  /** Accounts whose last sync failed for want of network, by name. */
  failing: Set<string>;
  /** How many accounts sync. */
  accounts: number;
}

/** offline: the browser says so, or every account that syncs fails on the
 * network (one flaky server alone is that account's error, not offline). */
export function isOffline(s: OfflineSignals): boolean {
  if (!s.online) return true;
  return s.failing.size > 0 && s.failing.size >= s.accounts;
}

/** formatBytes writes a byte count for people ("5 MB"). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1000 * 1000) return `${Math.round(n / 1000)} KB`;
  if (n < 1000 * 1000 * 1000) return `${+(n / 1e6).toFixed(1)} MB`;
  return `${+(n / 1e9).toFixed(1)} GB`;
}
