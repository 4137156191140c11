import { describe, expect, it, vi } from 'vitest';
import { errorText, exportDone, firstOf, fraction, importLines, jobText, nameFor, scopeLabel, scopes, selection, single, withFormat, type Scope } from './archive';
import { ArchiveState, checkDestinationLater, EVENT_EXPORT_PROGRESS, EVENT_IMPORT_PROGRESS, EVENT_MENU, EVENT_RESTORED, type ArchiveApi } from './archive.svelte';

describe('scopes', () => {
  it('offers the most specific first and always everything', () => {
    const s = scopes({
      conversation: { id: 'cv_1', title: 'Order #1001' },
      contact: { id: 'ct_1', name: 'Alice', count: 3 },
      view: { name: 'Open', status: 'open', count: 12 },
      search: ' refund ',
      total: 22,
    });
    expect(s.map((x) => x.kind)).toEqual(['conversation', 'contact', 'search', 'view', 'all']);
    expect(s.map(scopeLabel)).toEqual([
      'This conversation: “Order #1001”',
      'Everything we hold on Alice (3 conversations)',
      'The search results for “refund”',
      'This view: Open (12 conversations)',
      'Everything (22 conversations)',
    ]);
  });
  it('leaves out the All view, which is everything', () => {
    expect(scopes({ view: { name: 'All', status: 'all', count: 22 } }).map((x) => x.kind)).toEqual(['all']);
  });
  it('with nothing open offers everything only', () => {
    expect(scopes({})).toEqual([{ kind: 'all', count: null }]);
    expect(scopeLabel(scopes({})[0])).toBe('Everything');
  });
});

describe('selection', () => {
  const cases: [Scope, object][] = [
    [{ kind: 'conversation', id: 'cv_1', title: 'x' }, { conversation_ids: ['cv_1'] }],
    [{ kind: 'contact', id: 'ct_1', name: 'A', count: null }, { contact_id: 'ct_1' }],
    [{ kind: 'view', name: 'Open', status: 'open', count: 3 }, { status: 'open' }],
    [{ kind: 'view', name: 'VIP', label: 'VIP', count: 3 }, { label: 'VIP' }],
    [{ kind: 'view', name: 'Saved', query: 'from:alice', count: null }, { query: 'from:alice' }],
    [{ kind: 'search', query: 'helmet' }, { query: 'helmet' }],
    [{ kind: 'all', count: 5 }, {}],
  ];
  for (const [s, want] of cases) it(`${s.kind} ${JSON.stringify(want)}`, () => expect(selection(s)).toEqual(want));

  it('single is one conversation', () => {
    expect(single({ kind: 'conversation', id: 'c', title: '' })).toBe(true);
    expect(single({ kind: 'contact', id: 'c', name: 'A', count: 1 })).toBe(true);
    expect(single({ kind: 'contact', id: 'c', name: 'A', count: 2 })).toBe(false);
    expect(single({ kind: 'search', query: 'x' })).toBe(false);
    expect(single({ kind: 'all', count: null })).toBe(false);
  });
  it('names files after what is exported', () => {
    expect(nameFor({ kind: 'search', query: 'refund' })).toBe('search refund');
    expect(nameFor({ kind: 'all', count: 1 })).toBe('everything');
  });
});

describe('withFormat', () => {
  const cases: [string, Parameters<typeof withFormat>, string][] = [
    ['swaps a known extension', ['/home/u/Documents/tidings-alice-2026.mbox', 'json', false], '/home/u/Documents/tidings-alice-2026.json'],
    ['eml is a zip', ['/tmp/a.json', 'eml', false], '/tmp/a.zip'],
    ['adds one to a bare name', ['/tmp/export', 'csv', false], '/tmp/export.csv'],
    ['keeps an unknown extension', ['/tmp/my.backup', 'pdf', false], '/tmp/my.backup.pdf'],
    ['html of several is a folder', ['/tmp/a.mbox', 'html', false], '/tmp/a'],
    ['html of one is a file', ['/tmp/a.mbox', 'html', true], '/tmp/a.html'],
    ['dots in folders are left alone', ['/tmp/v1.2/a', 'mbox', false], '/tmp/v1.2/a.mbox'],
    ['a hidden file is not an extension', ['/tmp/.mbox', 'csv', false], '/tmp/.mbox.csv'],
    ['windows separators', ['C:\\Users\\u\\a.csv', 'pdf', false], 'C:\\Users\\u\\a.pdf'],
    ['upper case extension', ['/tmp/A.MBOX', 'json', false], '/tmp/A.json'],
    ['empty stays empty', ['', 'mbox', false], ''],
  ];
  for (const [name, args, want] of cases) it(name, () => expect(withFormat(...args)).toBe(want));
});

describe('progress and results', () => {
  it('fraction', () => {
    expect(fraction(null)).toBeNull();
    expect(fraction({ done: 5, total: 0 })).toBeNull();
    expect(fraction({ done: 5, total: 10 })).toBe(0.5);
    expect(fraction({ done: 12, total: 10 })).toBe(1);
  });
  it('the export line says count, size and path', () => {
    const line = exportDone({ format: 'json', path: '/tmp/a.json', conversations: 22, messages: 49, files: 3, bytes: 1_234_567, warnings: [] });
    expect(line).toBe('Exported 49 messages in 22 conversations (1.2 MB) to /tmp/a.json · 3 attachment files beside it');
    expect(exportDone({ format: 'mbox', path: '/x', conversations: 1, messages: 1, files: 0, bytes: 10, warnings: null })).toBe(
      'Exported 1 message in 1 conversation (10 B) to /x',
    );
  });
  it('the import summary counts imported, skipped and unreadable', () => {
    const sum = { kind: 'mbox', imported: 49, skipped: 2, unreadable: 1, conversations: 22, not_mail: null, warnings: null };
    expect(importLines(sum)).toEqual(['49 messages imported (22 new conversations)', '2 duplicates skipped (already here)', '1 unreadable message kept as they are']);
    expect(importLines({ ...sum, unreadable: 0 })).toHaveLength(2);
  });
  it('jobText counts when it can', () => {
    expect(jobText('export', { done: 1200, total: 5000 })).toBe('1,200 of 5,000 messages');
    expect(jobText('export', null)).toBe('Exporting…');
    expect(jobText('export', { done: 2, total: 7, phase: 'download' })).toBe('Downloading 2 of 7 messages stored incomplete from the server…');
    expect(jobText('import', { done: 300, total: 0 })).toBe('300 messages read');
    expect(jobText('backup', { done: 1, total: 2 })).toBe('Writing and checking the backup…');
  });
  it('checkDestinationLater asks once typing pauses, and not at all when dropped', async () => {
    vi.useFakeTimers();
    try {
      const asked: string[] = [];
      const api = { checkDestination: async (p: string) => (asked.push(p), { path: p, exists: false, folder: false, problem: '' }) };
      const got: string[] = [];
      const drop = checkDestinationLater('/tmp/a', (c) => got.push(c.path), api);
      vi.advanceTimersByTime(100);
      drop(); // typed on
      checkDestinationLater('/tmp/ab', (c) => got.push(c.path), api);
      await vi.advanceTimersByTimeAsync(250);
      expect(asked).toEqual(['/tmp/ab']);
      expect(got).toEqual(['/tmp/ab']);
      // An answer that comes after the drop is ignored.
      const late = checkDestinationLater('/tmp/abc', (c) => got.push(c.path), api);
      vi.advanceTimersByTime(200);
      late();
      await vi.runAllTimersAsync();
      expect(got).toEqual(['/tmp/ab']);
    } finally {
      vi.useRealTimers();
    }
  });
  it('firstOf keeps a few', () => {
    expect(firstOf(['a', 'b', 'c'], 2)).toEqual({ shown: ['a', 'b'], more: 1 });
    expect(firstOf(null)).toEqual({ shown: [], more: 0 });
  });
  it('errorText drops a repeated prefix', () => {
    expect(errorText(new Error('export: export: cannot write /x'))).toBe('export: cannot write /x');
    expect(errorText('store: backup failed')).toBe('store: backup failed');
  });
});

// A stand-in for window.go.app.Archive that answers as told.
function fakeApi(over: Partial<ArchiveApi> = {}): ArchiveApi & { calls: string[] } {
  const calls: string[] = [];
  const rec =
    <T>(name: string, v: T) =>
    async (...args: unknown[]) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')})`);
      return v;
    };
  return {
    calls,
    suggestPath: rec('suggestPath', '/tmp/x.mbox'),
    choosePath: rec('choosePath', ''),
    checkDestination: rec('checkDestination', { path: '', exists: false, folder: false, problem: '' }),
    export: rec('export', { format: 'mbox', path: '/tmp/x.mbox', conversations: 1, messages: 2, files: 0, bytes: 3, warnings: [] }),
    import: rec('import', { kind: 'mbox', imported: 1, skipped: 0, unreadable: 0, conversations: 1, not_mail: null, warnings: null }),
    backup: rec('backup', { path: '/tmp/b.db', bytes: 1, schema_version: 1, conversations: 1, messages: 1, contacts: 1 }),
    inspectRestore: rec('inspectRestore', null as never),
    restore: rec('restore', { path: '/tmp/b.db', bytes: 1, schema_version: 1, conversations: 1, messages: 1, contacts: 1, previous: '/p' }),
    cancel: rec('cancel', undefined),
    skipDownloads: rec('skipDownloads', undefined),
    forgetPreview: rec('forgetPreview', null as never),
    forgetContact: rec('forgetContact', null as never),
    ...over,
  } as ArchiveApi & { calls: string[] };
}

describe('ArchiveState', () => {
  it('runs an export, follows its progress and keeps the result', async () => {
    let release: () => void = () => {};
    const api = fakeApi({
      export: (req) =>
        new Promise((resolve) => {
          release = () => resolve({ format: req.format, path: req.out, conversations: 1, messages: 2, files: 0, bytes: 3, warnings: [] });
        }),
    });
    const s = new ArchiveState(api);
    const handlers = new Map<string, (d: unknown) => void>();
    const off = s.listen(
      () => {},
      (name, cb) => {
        handlers.set(name, cb);
        return () => handlers.delete(name);
      },
    );
    s.open('export', 'conversation');
    expect(s.dialog).toBe('export');
    expect(s.preselect).toBe('conversation');
    const p = s.exportNow({ format: 'mbox', out: '/tmp/x.mbox', selection: {}, attachments: 'files', no_bom: false });
    expect(s.jobs.export.running).toBe(true);
    expect(s.running).toEqual(['export']);
    handlers.get(EVENT_EXPORT_PROGRESS)!({ done: 1, total: 2 });
    handlers.get(EVENT_IMPORT_PROGRESS)!({ done: 9, total: 9 }); // no import runs: ignored
    expect(s.jobs.export.progress).toEqual({ done: 1, total: 2 });
    expect(s.jobs.import.progress).toBeNull();
    // Downloads of incomplete messages come first, and can be skipped.
    handlers.get(EVENT_EXPORT_PROGRESS)!({ done: 0, total: 3, phase: 'download' });
    expect(s.jobs.export.progress).toEqual({ done: 0, total: 3, phase: 'download' });
    await s.skipDownloads();
    expect(api.calls).toContain('skipDownloads()');
    handlers.get(EVENT_EXPORT_PROGRESS)!({ done: 1, total: 2 });
    expect(s.jobs.export.progress).toEqual({ done: 1, total: 2 });
    // A second export while one runs does nothing.
    expect(await s.exportNow({ format: 'csv', out: '/tmp/y.csv', selection: {}, attachments: 'files', no_bom: false })).toBeNull();
    s.close();
    expect(s.dialog).toBeNull();
    expect(s.jobs.export.running).toBe(true);
    release();
    const r = await p;
    expect(r?.messages).toBe(2);
    expect(s.lastExport?.path).toBe('/tmp/x.mbox');
    expect(s.jobs.export.running).toBe(false);
    off();
    expect(handlers.size).toBe(0);
  });

  it('says an error plainly and clears the last result', async () => {
    const s = new ArchiveState(
      fakeApi({
        backup: async () => {
          throw new Error('store: store: backup folder /nope does not exist');
        },
      }),
    );
    s.lastBackup = { path: '/old', bytes: 1, schema_version: 1, conversations: 1, messages: 1, contacts: 1 };
    expect(await s.backupNow('/nope/b.db')).toBeNull();
    expect(s.lastBackup).toBeNull();
    expect(s.jobs.backup.error).toBe('store: backup folder /nope does not exist');
    expect(s.jobs.backup.running).toBe(false);
  });

  it('opens dialogs from the menu, cancels, and reports a restore', async () => {
    const api = fakeApi();
    const s = new ArchiveState(api);
    const handlers = new Map<string, (d: unknown) => void>();
    let restored: unknown = null;
    s.listen(
      (info) => (restored = info),
      (name, cb) => {
        handlers.set(name, cb);
        return () => {};
      },
    );
    handlers.get(EVENT_MENU)!('backup');
    expect(s.dialog).toBe('backup');
    handlers.get(EVENT_MENU)!('nonsense');
    expect(s.dialog).toBe('backup');
    await s.cancel('import');
    expect(api.calls).toContain('cancel("import")');
    handlers.get(EVENT_RESTORED)!({ previous: '/p' });
    expect(restored).toEqual({ previous: '/p' });
    const sum = await s.importNow('~/mail.mbox');
    expect(sum?.imported).toBe(1);
    expect(s.lastImport?.imported).toBe(1);
    expect(s.jobs.import.path).toBe('~/mail.mbox');
  });
});
