// Whether the window is offline: the browser says so (navigator.onLine),
// or every account that syncs fails for want of network (the Mail
// service's account status lines, state "offline"; the email sync reports;
// the chat channels' health lines). Everything the window
// shows comes from the local store, so offline only changes the banner.

import { EVENT_ACCOUNT_STATUS, EVENT_EMAIL_SYNC, EVENT_HEALTH, hasService, mailApi, onEvent } from './api';
import { inbox } from './inbox.svelte';
import { isNetworkError, isOffline } from './search';

export class OfflineState {
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** Accounts (by name) whose last sync failed on the network. */
  failing = $state.raw(new Set<string>());

  /** Accounts that sync (demo accounts never do). */
  get syncing(): number {
    return (inbox.overview?.accounts ?? []).filter((a) => !a.settings?.demo).length;
  }

  get offline(): boolean {
    return isOffline({ online: this.online, failing: this.failing, accounts: this.syncing });
  }

  private mark(account: string, failing: boolean): void {
    if (!account || this.failing.has(account) === failing) return;
    const next = new Set(this.failing);
    if (failing) next.add(account);
    else next.delete(account);
    this.failing = next;
  }

  /** start listens; it returns a function that stops. */
  start(): () => void {
    const up = () => (this.online = true);
    const down = () => (this.online = false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    // The store remembers each account's last error across restarts.
    for (const a of inbox.overview?.accounts ?? []) {
      if (!a.settings?.demo && isNetworkError(a.last_error)) this.mark(a.name, true);
    }
    const status = (st: { name?: string; state?: string }) => {
      if (typeof st.name === 'string') this.mark(st.name, st.state === 'offline');
    };
    if (hasService('Mail')) {
      mailApi
        .status()
        .then((list) => list.forEach(status))
        .catch(() => {});
    }
    const offStatus = onEvent(EVENT_ACCOUNT_STATUS, (d) => status((d ?? {}) as { name?: string; state?: string }));
    const offSync = onEvent(EVENT_EMAIL_SYNC, (d) => {
      const r = (d ?? {}) as { account?: string; error?: string };
      if (typeof r.account !== 'string') return;
      this.mark(r.account, isNetworkError(r.error));
    });
    const offHealth = onEvent(EVENT_HEALTH, (d) => {
      const h = (d ?? {}) as { name?: string; state?: string; last_error?: string };
      if (typeof h.name !== 'string') return;
      if (h.state === 'connected') this.mark(h.name, false);
      else if (h.last_error) this.mark(h.name, isNetworkError(h.last_error));
    });
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      offStatus();
      offSync();
      offHealth();
    };
  }
}

export const offline = new OfflineState();
