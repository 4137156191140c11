// Command mailtestd runs a loopback mail service for browser end-to-end
// tests: a real Dovecot (IMAP, backend/channels/email/dovetest) and the
// in-process go-smtp submission server the Go tests use, with one user. It
// prints {"imap": "HOST:PORT", "smtp": "HOST:PORT"} on one line, writes
// every message the SMTP server accepts to DIR/outgoing/N.eml, and stops
// both when its standard input closes or it is signalled.
//
//	mailtestd -dir DIR -user owner@shop.example -pass secret
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tidings/backend/channels/email/dovetest"
)

// runner lends dovetest.StartSMTP the three testing.TB methods it uses
// (Helper, Fatal, Cleanup) outside a test.
type runner struct {
	testing.TB
	cleanups []func()
}

func (r *runner) Helper()                      {}
func (r *runner) Fatal(args ...any)            { log.Fatal(args...) }
func (r *runner) Cleanup(f func())             { r.cleanups = append(r.cleanups, f) }
func (r *runner) Fatalf(f string, args ...any) { log.Fatalf(f, args...) }

func main() {
	dir := flag.String("dir", "", "working directory (Dovecot's files, outgoing/)")
	user := flag.String("user", "owner@shop.example", "the mailbox's login")
	pass := flag.String("pass", "secret", "its password")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("mailtestd: ")
	if *dir == "" {
		log.Fatal("-dir is required")
	}
	out := filepath.Join(*dir, "outgoing")
	if err := os.MkdirAll(out, 0o755); err != nil {
		log.Fatal(err)
	}
	dove, err := dovetest.StartDir(filepath.Join(*dir, "dovecot"), map[string]string{*user: *pass})
	if err != nil {
		log.Fatal(err)
	}
	r := &runner{}
	smtpSrv := dovetest.StartSMTP(r, *user, *pass)
	stop := func() {
		for i := len(r.cleanups) - 1; i >= 0; i-- {
			r.cleanups[i]()
		}
		dove.Stop()
	}
	b, _ := json.Marshal(map[string]string{"imap": dove.Addr, "smtp": smtpSrv.Addr})
	fmt.Println(string(b))

	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(done)
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	written := 0
	for {
		select {
		case <-done:
			stop()
			return
		case <-sig:
			stop()
			return
		case <-tick.C:
			msgs := smtpSrv.Messages()
			for ; written < len(msgs); written++ {
				name := filepath.Join(out, fmt.Sprintf("%d.eml", written+1))
				if err := os.WriteFile(name+".part", msgs[written].Data, 0o644); err != nil {
					log.Print(err)
					continue
				}
				os.Rename(name+".part", name)
			}
		}
	}
}
