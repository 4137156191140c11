package store

import (
	"errors"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDiskFull marks a write the store could not make because the disk (or
// the space this account or process may use) is full. SQLite rolls the
// transaction back: what was committed before is intact.
var ErrDiskFull = errors.New("the disk is full (or the store may not grow larger)")

// IsDiskFull reports whether err is a write that failed for want of space:
// SQLite's SQLITE_FULL (ENOSPC), or a failed write (SQLite reports a file
// size limit, EFBIG, as SQLITE_IOERR_WRITE), or those errors from the OS.
func IsDiskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrDiskFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC, sqlite3.SQLITE_IOERR_SHMSIZE:
			return true
		}
		return se.Code()&0xff == sqlite3.SQLITE_FULL
	}
	return false
}
