// The export, import, backup and restore dialogs' logic, free of Svelte and
// of the bindings so it is unit tested: the wire types of app/archive.go,
// what can be exported from where, paths and their extensions, progress and
// the result lines.

import { tx } from './exportStrings';

export type ArchiveKind = 'export' | 'import' | 'backup' | 'restore';
export const ARCHIVE_KINDS: ArchiveKind[] = ['export', 'import', 'backup', 'restore'];

export type Format = 'mbox' | 'eml' | 'json' | 'csv' | 'html' | 'pdf';
export const FORMATS: Format[] = ['mbox', 'eml', 'json', 'csv', 'html', 'pdf'];
const EXT: Record<Format, string> = { mbox: '.mbox', eml: '.zip', json: '.json', csv: '.csv', html: '.html', pdf: '.pdf' };

/** workspace.Selection */
export interface Selection {
  conversation_ids?: string[];
  contact_id?: string;
  query?: string;
  status?: string;
  label?: string;
}

/** app.ExportRequest */
export interface ExportRequest {
  format: Format;
  out: string;
  selection: Selection;
  attachments: 'files' | 'base64';
  no_bom: boolean;
}

/** app.ExportResult */
export interface ExportResult {
  format: string;
  path: string;
  conversations: number;
  messages: number;
  files: number;
  bytes: number;
  warnings: string[] | null;
}

/** importer.Summary */
export interface ImportSummary {
  kind: string;
  imported: number;
  skipped: number;
  unreadable: number;
  conversations: number;
  not_mail: string[] | null;
  warnings: string[] | null;
}

/** store.BackupInfo */
export interface BackupInfo {
  path: string;
  bytes: number;
  schema_version: number;
  conversations: number;
  messages: number;
  contacts: number;
}

/** store.RestoreInfo */
export interface RestoreInfo extends BackupInfo {
  previous?: string;
}

/** app.RestorePlan */
export interface RestorePlan {
  backup: BackupInfo;
  current: BackupInfo;
  older: boolean;
  keep_as: string;
}

/** store.ForgetResult */
export interface ForgetResult {
  conversations: number;
  messages: number;
  notes: number;
  identities: number;
}

/** app.PathRequest */
export interface PathRequest {
  kind: ArchiveKind;
  format?: string;
  name?: string;
  single?: boolean;
  folder?: boolean;
  current?: string;
}

/** app.PathCheck */
export interface PathCheck {
  path: string;
  exists: boolean;
  folder: boolean;
  problem: string;
}

/** app.Progress */
export interface Progress {
  done: number;
  total: number;
  /** "download": an export downloading messages stored incomplete first. */
  phase?: string;
}

// --- What to export ---

/** Scope is one choice of what to export. */
export type Scope =
  | { kind: 'conversation'; id: string; title: string }
  | { kind: 'contact'; id: string; name: string; count: number | null }
  | { kind: 'view'; name: string; status?: string; label?: string; query?: string; count: number | null }
  | { kind: 'search'; query: string }
  | { kind: 'all'; count: number | null };

/** Where the export dialog was opened from: what it can offer. */
export interface ScopeContext {
  conversation?: { id: string; title: string } | null;
  contact?: { id: string; name: string; count: number | null } | null;
  view?: { name: string; status?: string; label?: string; query?: string; count: number | null } | null;
  search?: string | null;
  total?: number | null;
}

/** scopes lists the choices, most specific first. A view of every
 * conversation ("All") is left out: "Everything" says the same. */
export function scopes(c: ScopeContext): Scope[] {
  const out: Scope[] = [];
  if (c.conversation) out.push({ kind: 'conversation', ...c.conversation });
  if (c.contact) out.push({ kind: 'contact', ...c.contact });
  if (c.search?.trim()) out.push({ kind: 'search', query: c.search.trim() });
  if (c.view && !(c.view.status === 'all' && !c.view.label && !c.view.query)) out.push({ kind: 'view', ...c.view });
  out.push({ kind: 'all', count: c.total ?? null });
  return out;
}

export function scopeKey(s: Scope): string {
  return s.kind;
}

export function scopeLabel(s: Scope): string {
  switch (s.kind) {
    case 'conversation':
      return tx.export.scope.conversation(s.title);
    case 'contact':
      return tx.export.scope.contact(s.name, s.count);
    case 'view':
      return tx.export.scope.view(s.name, s.count);
    case 'search':
      return tx.export.scope.search(s.query);
    case 'all':
      return tx.export.scope.all(s.count);
  }
}

/** selection is the backend's Selection for a scope. */
export function selection(s: Scope): Selection {
  switch (s.kind) {
    case 'conversation':
      return { conversation_ids: [s.id] };
    case 'contact':
      return { contact_id: s.id };
    case 'view':
      if (s.query) return { query: s.query };
      return s.label ? { label: s.label } : { status: s.status };
    case 'search':
      return { query: s.query };
    case 'all':
      return {};
  }
}

/** single says the scope is one conversation (HTML is then one file). */
export function single(s: Scope): boolean {
  return s.kind === 'conversation' || ((s.kind === 'contact' || s.kind === 'view' || s.kind === 'all') && s.count === 1);
}

/** nameFor is the word put in a suggested file name. */
export function nameFor(s: Scope): string {
  switch (s.kind) {
    case 'conversation':
      return s.title;
    case 'contact':
      return s.name;
    case 'view':
      return s.name;
    case 'search':
      return 'search ' + s.query;
    case 'all':
      return 'everything';
  }
}

// --- Paths ---

/** withFormat changes a path's extension to the format's: an export path
 * follows the format picked after it was suggested or typed. Several
 * conversations as HTML are a folder (no extension). */
export function withFormat(path: string, format: Format, isSingle: boolean): string {
  if (!path.trim()) return path;
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dir = path.slice(0, slash + 1);
  let base = path.slice(slash + 1);
  const known = Object.values(EXT);
  const dot = base.lastIndexOf('.');
  if (dot > 0 && known.includes(base.slice(dot).toLowerCase())) base = base.slice(0, dot);
  const ext = format === 'html' && !isSingle ? '' : EXT[format];
  return dir + base + ext;
}

// --- Progress ---

/** fraction is the bar's fill (0..1), or null for "unknown" (an
 * indeterminate bar). */
export function fraction(p: Progress | null): number | null {
  if (!p || p.total <= 0) return null;
  return Math.max(0, Math.min(1, p.done / p.total));
}

/** jobText says where a running job is: counts when its progress is
 * known, what it does otherwise. */
export function jobText(kind: ArchiveKind, p: Progress | null): string {
  switch (kind) {
    case 'export':
      if (p?.phase === 'download') return tx.export.downloading(p.done, p.total);
      return p ? tx.export.progress(p.done, p.total) : tx.export.running;
    case 'import':
      return p ? tx.import.progress(p.done, p.total) : tx.import.running;
    case 'backup':
      return tx.backup.running;
    case 'restore':
      return tx.restore.running;
  }
}

// --- Results ---

export function exportDone(r: ExportResult): string {
  return tx.export.done(r.messages, r.conversations, r.bytes, r.path) + (r.files > 0 && r.format === 'json' ? tx.export.files(r.files) : '');
}

/** importLines are the summary's lines, the counts first. */
export function importLines(s: ImportSummary): string[] {
  const lines = [tx.import.imported(s.imported, s.conversations), tx.import.skipped(s.skipped)];
  if (s.unreadable > 0) lines.push(tx.import.unreadable(s.unreadable));
  return lines;
}

/** firstOf keeps the first few of a list, and says how many more. */
export function firstOf(list: string[] | null | undefined, max = 5): { shown: string[]; more: number } {
  const l = list ?? [];
  return { shown: l.slice(0, max), more: Math.max(0, l.length - max) };
}

/** errorText is a rejected call's message, without the Go package prefix
 * repeated ("export: export: ..." reads badly). */
export function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^(\w+): (\1: )+/, '$1: ');
}
