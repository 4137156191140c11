// Merging two conversations from the window, and its undo: the last merge
// stays undoable from a toast (and from the timeline, app Email.Merges).

import { mergeApi } from './api';
import { inbox } from './inbox.svelte';
import { tset } from './settingsStrings';

export interface LastMerge {
  id: string;
  into: string;
  from: string;
  text: string;
}

export class MergeState {
  /** The merge the toast offers to undo. */
  last = $state<LastMerge | null>(null);
  busy = $state(false);
  error = $state('');
  /** Counts merges and undos, for panels that reload on them. */
  revision = $state(0);

  /** merge moves conversation `from` into `into` and opens `into`. */
  async merge(into: string, from: string, intoTitle: string): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      const id = await mergeApi.merge(into, from);
      this.last = { id, into, from, text: tset.merge.done(intoTitle) };
      this.revision++;
      inbox.clearSelection();
      inbox.open(into, true);
      return true;
    } catch (e) {
      this.error = tset.merge.failed(msg(e));
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** undo puts both conversations back and opens the one merged away. */
  async undo(mergeID = this.last?.id ?? ''): Promise<boolean> {
    if (!mergeID) return false;
    this.busy = true;
    this.error = '';
    try {
      const back = await mergeApi.undo(mergeID);
      this.last = null;
      this.revision++;
      inbox.notice = tset.merge.undone;
      inbox.open(back, true);
      return true;
    } catch (e) {
      this.error = tset.merge.undoFailed(msg(e));
      return false;
    } finally {
      this.busy = false;
    }
  }

  dismiss(): void {
    this.last = null;
    this.error = '';
  }
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const merging = new MergeState();
