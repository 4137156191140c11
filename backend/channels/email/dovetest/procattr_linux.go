package dovetest

import (
	"os/exec"
	"syscall"
)

// dieWithParent stops Dovecot when the test process dies without cleanup
// (a test timeout panics past t.Cleanup).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
