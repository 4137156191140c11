// Files dropped on the native window arrive as paths (Wails' file drop):
// which part of the window they land on decides what happens. On the
// composer they are attached (Go reads them: nothing large crosses the
// bridge); anywhere else, mail (an mbox, .eml, a zip, a Maildir folder)
// opens the import dialog with that path. In a browser there are no paths;
// the composer reads dropped files itself (Composer.svelte).

/** The DOM event a composer receives with the paths dropped on it. */
export const PATHS_EVENT = 'tidings:paths';

/** What a drop of paths does. */
export type DropAction = { kind: 'attach'; target: Element } | { kind: 'import'; path: string; more: number } | { kind: 'notMail' } | { kind: 'none' };

/** The file name endings the importer reads (a folder is a Maildir or a
 * folder of .eml; a name without one may be an mbox such as "Inbox"). */
const MAIL_ENDINGS = ['.mbox', '.mbx', '.mbs', '.eml', '.zip', '.json'];

/** baseName is a path's last part, separators of either kind. */
export function baseName(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
}

/** looksLikeMail says whether a dropped path could be mail to import. */
export function looksLikeMail(path: string, folder: boolean): boolean {
  if (folder) return true;
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return true;
  return MAIL_ENDINGS.includes(name.slice(dot).toLowerCase());
}

/** dropAction decides what a drop of paths at element `at` does; the
 * composer is the closest [data-drop="attach"] around it. */
export function dropAction(at: Element | null, paths: string[], folder: boolean): DropAction {
  if (paths.length === 0) return { kind: 'none' };
  const target = at?.closest?.('[data-drop="attach"]');
  if (target) return { kind: 'attach', target };
  if (!looksLikeMail(paths[0], folder)) return { kind: 'notMail' };
  return { kind: 'import', path: paths[0], more: paths.length - 1 };
}

let lastPaths = 0;

/** pathsArrived notes that paths came for a composer just now. */
export function pathsArrived(now = Date.now()): void {
  lastPaths = now;
}

/** pathsSince says whether paths came for a composer since time t (ms):
 * the native window's drop was handled by path, so the page must not read
 * the same files again. */
export function pathsSince(t: number): boolean {
  return lastPaths >= t;
}
