// Which of the open conversation's attachments were not downloaded ahead
// (they show "Download"), and opening the others from the store.

import { searchApi } from './api';

export class AttachmentsState {
  /** IDs of attachments not downloaded yet, for the conversation `of`. */
  unfetched = $state.raw(new Set<string>());
  of = $state('');
  private loadedKey = '';
  private loadedFor: object | null = null;

  /** load asks once per opening of a conversation (thread: the loaded
   * thread object, new each time) and per change event (revision). */
  load(conversationID: string, revision: number, thread: object | null = null): void {
    const key = conversationID + '#' + revision;
    if (key === this.loadedKey && thread === this.loadedFor) return;
    this.loadedKey = key;
    this.loadedFor = thread;
    searchApi
      .unfetched(conversationID)
      .then((ids) => {
        if (this.loadedKey !== key) return;
        this.unfetched = new Set(ids);
        this.of = conversationID;
      })
      .catch(() => {
        // An older backend without the method: everything counts as here.
        if (this.loadedKey === key) this.unfetched = new Set();
      });
  }
}

export const attachments = new AttachmentsState();

/** openFile reads an attachment from the store and hands it to the
 * webview as a download (no network involved). */
export async function openFile(id: string): Promise<void> {
  const f = await searchApi.attachmentData(id);
  const bin = atob(f.data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: f.content_type || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.name || 'attachment';
  a.rel = 'noopener';
  document.body.appendChild(a);
  // Not bubbling: the window's link handler sends clicked links to the
  // system browser, and this one is the file itself.
  a.dispatchEvent(new MouseEvent('click', { bubbles: false, cancelable: true }));
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
