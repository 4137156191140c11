package app

import "tidings/backend/store"

// WindowCacheMiB is the SQLite page cache of each pooled connection while
// the window runs. The store's default (8 MiB) suits bulk work; the window
// reads a page of rows at a time, and on a store of 100,000 conversations
// four connections' worth of 8 MiB caches cost it ~20 MB resident against
// ~1 ms more per sidebar count (pages come from the OS cache instead):
// scripts/bench-ui.sh measures the window's memory.
const WindowCacheMiB = 2

// WindowStoreOptions are the store options the window opens its workspace with.
func WindowStoreOptions() *store.Options { return &store.Options{CacheMiB: WindowCacheMiB} }
