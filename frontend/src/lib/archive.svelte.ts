// The archive dialogs' state: which dialog is open, the jobs (export,
// import, backup, restore) with their progress and results. Jobs live here,
// not in the dialogs, so a dialog can be closed while its job runs and the
// result is still there when it opens again. The bound service is
// window.go.app.Archive (app/archive.go).

import { callOn, onEvent } from './api';
import {
  errorText,
  type ArchiveKind,
  type BackupInfo,
  type ExportRequest,
  type ExportResult,
  type ForgetResult,
  type ImportSummary,
  type PathCheck,
  type PathRequest,
  type Progress,
  type RestoreInfo,
  type RestorePlan,
  type Scope,
} from './archive';

export const archiveApi = {
  suggestPath: (r: PathRequest) => callOn<string>('Archive', 'SuggestPath', r),
  choosePath: (r: PathRequest) => callOn<string>('Archive', 'ChoosePath', r),
  checkDestination: (path: string) => callOn<PathCheck>('Archive', 'CheckDestination', path),
  export: (req: ExportRequest) => callOn<ExportResult>('Archive', 'Export', req),
  import: (path: string) => callOn<ImportSummary>('Archive', 'Import', path),
  backup: (path: string) => callOn<BackupInfo>('Archive', 'Backup', path),
  inspectRestore: (path: string) => callOn<RestorePlan>('Archive', 'InspectRestore', path),
  restore: (path: string) => callOn<RestoreInfo>('Archive', 'Restore', path),
  cancel: (kind: ArchiveKind) => callOn<void>('Archive', 'Cancel', kind),
  /** The running export stops downloading incomplete messages and goes on. */
  skipDownloads: () => callOn<void>('Archive', 'SkipDownloads'),
  forgetPreview: (contactID: string) => callOn<ForgetResult>('Archive', 'ForgetPreview', contactID),
  forgetContact: (contactID: string) => callOn<ForgetResult>('Archive', 'ForgetContact', contactID),
};

export type ArchiveApi = typeof archiveApi;

/** checkDestinationLater asks, after a pause in typing, what writing to
 * path would do, and hands the answer to done; it returns the function that
 * drops the question (an $effect's cleanup when the path changes again). */
export function checkDestinationLater(path: string, done: (c: PathCheck) => void, api: Pick<ArchiveApi, 'checkDestination'> = archiveApi, ms = 200): () => void {
  let cancelled = false;
  const timer = setTimeout(() => {
    api
      .checkDestination(path)
      .then((c) => {
        if (!cancelled) done(c);
      })
      .catch(() => {});
  }, ms);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}

/** The events app/archive.go and app/export.go send. */
export const EVENT_MENU = 'menu:archive';
export const EVENT_EXPORT_PROGRESS = 'export:progress';
export const EVENT_IMPORT_PROGRESS = 'import:progress';
export const EVENT_RESTORED = 'store:restored';

export interface Job {
  running: boolean;
  progress: Progress | null;
  error: string;
  /** the path the job works on (shown while it runs) */
  path: string;
}

const idle = (): Job => ({ running: false, progress: null, error: '', path: '' });

type Subscribe = (name: string, cb: (data: unknown) => void) => () => void;

export class ArchiveState {
  /** The open dialog. */
  dialog = $state<ArchiveKind | null>(null);
  /** The export scope to preselect (where the dialog was opened from). */
  preselect = $state<Scope['kind'] | null>(null);
  jobs = $state<Record<ArchiveKind, Job>>({ export: idle(), import: idle(), backup: idle(), restore: idle() });
  lastExport = $state.raw<ExportResult | null>(null);
  lastImport = $state.raw<ImportSummary | null>(null);
  lastBackup = $state.raw<BackupInfo | null>(null);
  lastRestore = $state.raw<RestoreInfo | null>(null);

  constructor(private api: ArchiveApi = archiveApi) {}

  /** open shows a dialog; for export, preselect says what to export. */
  open(kind: ArchiveKind, preselect: Scope['kind'] | null = null): void {
    this.dialog = kind;
    this.preselect = preselect;
    this.dropped = null;
  }

  /** A path dropped on the window for the import dialog, and how many
   * more were dropped with it (one is imported at a time). */
  dropped = $state.raw<{ path: string; more: number } | null>(null);

  /** openImport shows the import dialog with a path dropped on the window
   * (while an import runs, the dialog shows that one instead). */
  openImport(path: string, more = 0): void {
    this.open('import');
    if (!this.jobs.import.running) this.dropped = { path, more };
  }

  /** close hides the dialog; a running job keeps running. */
  close(): void {
    this.dialog = null;
    this.dropped = null;
  }

  get running(): ArchiveKind[] {
    return (Object.keys(this.jobs) as ArchiveKind[]).filter((k) => this.jobs[k].running);
  }

  /** listen follows the menu, progress and restore events; it returns a
   * function that stops. */
  listen(onRestored: (info: RestoreInfo) => void, subscribe: Subscribe = onEvent): () => void {
    const offs = [
      subscribe(EVENT_MENU, (a) => {
        if (a === 'export' || a === 'import' || a === 'backup' || a === 'restore') this.open(a);
      }),
      subscribe(EVENT_EXPORT_PROGRESS, (p) => this.progress('export', p)),
      subscribe(EVENT_IMPORT_PROGRESS, (p) => this.progress('import', p)),
      subscribe(EVENT_RESTORED, (info) => onRestored(info as RestoreInfo)),
    ];
    return () => offs.forEach((off) => off());
  }

  progress(kind: ArchiveKind, p: unknown): void {
    const v = p as Progress | null;
    if (!this.jobs[kind].running || !v || typeof v.done !== 'number') return;
    this.jobs[kind].progress = { done: v.done, total: v.total ?? 0, ...(v.phase ? { phase: v.phase } : {}) };
  }

  /** run does one job: it clears the last error and result, and returns
   * the result, or null with the job's error set. */
  private async run<T>(kind: ArchiveKind, path: string, fn: () => Promise<T>): Promise<T | null> {
    if (this.jobs[kind].running) return null;
    this.jobs[kind] = { running: true, progress: null, error: '', path };
    try {
      return await fn();
    } catch (e) {
      this.jobs[kind].error = errorText(e);
      return null;
    } finally {
      this.jobs[kind].running = false;
    }
  }

  async exportNow(req: ExportRequest): Promise<ExportResult | null> {
    this.lastExport = null;
    const r = await this.run('export', req.out, () => this.api.export(req));
    if (r) this.lastExport = r;
    return r;
  }

  async importNow(path: string): Promise<ImportSummary | null> {
    this.lastImport = null;
    const r = await this.run('import', path, () => this.api.import(path));
    if (r) this.lastImport = r;
    return r;
  }

  async backupNow(path: string): Promise<BackupInfo | null> {
    this.lastBackup = null;
    const r = await this.run('backup', path, () => this.api.backup(path));
    if (r) this.lastBackup = r;
    return r;
  }

  async restoreNow(path: string): Promise<RestoreInfo | null> {
    this.lastRestore = null;
    const r = await this.run('restore', path, () => this.api.restore(path));
    if (r) this.lastRestore = r;
    return r;
  }

  /** cancel stops a running export or import. */
  async cancel(kind: ArchiveKind): Promise<void> {
    try {
      await this.api.cancel(kind);
    } catch (e) {
      this.jobs[kind].error = errorText(e);
    }
  }

  /** skipDownloads lets the running export go on without downloading the
   * rest of the messages stored incomplete (each is named in its result). */
  async skipDownloads(): Promise<void> {
    try {
      await this.api.skipDownloads();
    } catch (e) {
      this.jobs.export.error = errorText(e);
    }
  }

  clearError(kind: ArchiveKind): void {
    this.jobs[kind].error = '';
  }
}

export const archive = new ArchiveState();
