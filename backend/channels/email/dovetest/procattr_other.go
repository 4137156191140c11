//go:build !linux

package dovetest

import "os/exec"

// dieWithParent has no equivalent here; t.Cleanup stops Dovecot.
func dieWithParent(*exec.Cmd) {}
