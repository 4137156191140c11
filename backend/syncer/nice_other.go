//go:build !linux

package syncer

// lowerThreadPriority is a no-op where threads have no priority of their
// own to lower.
func lowerThreadPriority() {}
