package syncer

import (
	"context"
	"fmt"
	"sync"
)

// folderLocks holds one lock per account and folder. The sync loop, the
// window's Send (which appends the sent copy to Sent and picks it up) and a
// second Syncer of the same process may otherwise sync one folder at once:
// both would see the same new UIDs, fetch them twice and race to record
// their locations.
var folderLocks sync.Map

// lockFolder waits until no other sync of the folder runs in this process,
// or ctx ends. The returned function releases the folder.
func lockFolder(ctx context.Context, accountID, folder string) (func(), error) {
	v, ok := folderLocks.Load(accountID + "\x00" + folder)
	if !ok {
		v, _ = folderLocks.LoadOrStore(accountID+"\x00"+folder, make(chan struct{}, 1))
	}
	ch := v.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("syncer: waiting for another sync of %q: %w", folder, ctx.Err())
	}
}
