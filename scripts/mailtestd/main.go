// Command mailtestd runs a loopback mail service for browser end-to-end
// tests: a real Dovecot (IMAP, backend/channels/email/dovetest) and the
// in-process go-smtp submission server the Go tests use, with one user. It
// prints {"imap": "HOST:PORT", "smtp": "HOST:PORT"} on one line, writes
// every message the SMTP server accepts to DIR/outgoing/N.eml, and stops
// both when its standard input closes or it is signalled. While the file
// DIR/reject exists, the SMTP server refuses every recipient with the
// reply it holds ("550 5.1.1 Mailbox unavailable"; a 4xx code is a
// temporary refusal). With -oauth-client ID it also runs the fake OAuth2
// authorization server of the Go tests for that client (its URL printed as
// "oauth"), and Dovecot and the SMTP server accept its tokens.
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
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"tidings/backend/channels/email/dovetest"
)

// rejection reads DIR/reject: nil when it does not exist.
func rejection(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	f := strings.Fields(string(b))
	code := 550
	if len(f) > 0 {
		if n, err := strconv.Atoi(f[0]); err == nil && n >= 400 && n < 600 {
			code, f = n, f[1:]
		}
	}
	e := &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "Refused"}
	if len(f) > 0 && strings.Count(f[0], ".") == 2 {
		var c smtp.EnhancedCode
		if _, err := fmt.Sscanf(f[0], "%d.%d.%d", &c[0], &c[1], &c[2]); err == nil {
			e.EnhancedCode, f = c, f[1:]
		}
	}
	if len(f) > 0 {
		e.Message = strings.Join(f, " ")
	}
	return e
}

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
	oauthClient := flag.String("oauth-client", "", "also sign in with OAuth2 tokens from a fake authorization server for this client ID")
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
	r := &runner{}
	opts := dovetest.Options{Users: map[string]string{*user: *pass}}
	var as *dovetest.OAuthServer
	if *oauthClient != "" {
		as = dovetest.StartOAuth(r, *oauthClient, *user)
		opts.IntrospectURL = as.URL + "/introspect"
	}
	dove, err := dovetest.StartDirWith(filepath.Join(*dir, "dovecot"), opts)
	if err != nil {
		log.Fatal(err)
	}
	smtpSrv := dovetest.StartSMTP(r, *user, *pass)
	addrs := map[string]string{"imap": dove.Addr, "smtp": smtpSrv.Addr}
	if as != nil {
		smtpSrv.CheckToken = as.Valid
		addrs["oauth"] = as.URL
	}
	stop := func() {
		for i := len(r.cleanups) - 1; i >= 0; i-- {
			r.cleanups[i]()
		}
		dove.Stop()
	}
	b, _ := json.Marshal(addrs)
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
			smtpSrv.SetReject(rejection(filepath.Join(*dir, "reject")))
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
