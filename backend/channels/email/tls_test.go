package email

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"tidings/backend/channels/email/dovetest"
)

// submissionConfig points an account's SMTP side at addr.
func submissionConfig(t *testing.T, addr string, sec Security) Config {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return Config{Address: testUser, IMAPHost: host, IMAPPort: 1, IMAPSecurity: None, SMTPHost: host, SMTPPort: p, SMTPSecurity: sec}
}

// TestSubmissionOverTLS sends through both submission ports' security:
// implicit TLS (465, RFC 8314) and STARTTLS (587, RFC 3207), with the
// server refusing to sign anyone in before TLS is up, and checks that a
// certificate the machine does not trust, an expired one, and the wrong
// security for the port are each refused with the reason.
func TestSubmissionOverTLS(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	good := dovetest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), "127.0.0.1")
	trust := &SMTPOptions{TLSConfig: &tls.Config{RootCAs: good.Pool}, DialTimeout: 5 * time.Second}
	for _, tc := range []struct {
		name     string
		implicit bool
		sec      Security
	}{{"465 implicit TLS", true, TLS}, {"587 STARTTLS", false, StartTLS}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := dovetest.StartSMTPTLS(t, testUser, testPass, good, tc.implicit)
			cfg := submissionConfig(t, srv.Addr, tc.sec)
			if err := CheckSMTP(ctx, cfg, Auth{Password: testPass}, trust); err != nil {
				t.Fatalf("check: %v", err)
			}
			if err := Send(ctx, cfg, Auth{Password: testPass}, testUser, []string{"ann@example.com"}, sample(1), trust); err != nil {
				t.Fatalf("send: %v", err)
			}
			if got := srv.Messages(); len(got) != 1 || got[0].To[0] != "ann@example.com" {
				t.Fatalf("server got %d messages, want 1 to ann@example.com", len(got))
			}
			// The system's roots do not know the test authority.
			err := Send(ctx, cfg, Auth{Password: testPass}, testUser, []string{"ann@example.com"}, sample(2), &SMTPOptions{DialTimeout: 5 * time.Second})
			wantKind(t, err, KindTLS, `"127.0.0.1" is signed by an unknown authority`)
			if strings.Contains(errString(err), testPass) {
				t.Errorf("the error shows the password: %v", err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("after the refused certificate the server has %d messages, want 1", n)
			}
		})
	}

	t.Run("expired certificate", func(t *testing.T) {
		old := dovetest.NewCert(t, now.Add(-72*time.Hour), now.Add(-24*time.Hour), "127.0.0.1")
		srv := dovetest.StartSMTPTLS(t, testUser, testPass, old, true)
		err := CheckSMTP(ctx, submissionConfig(t, srv.Addr, TLS), Auth{Password: testPass}, &SMTPOptions{TLSConfig: &tls.Config{RootCAs: old.Pool}})
		wantKind(t, err, KindTLS, `the TLS certificate of "127.0.0.1" is expired or not yet valid (valid `+now.Add(-72*time.Hour).UTC().Format(time.DateOnly))
	})

	t.Run("implicit TLS on the STARTTLS port", func(t *testing.T) {
		srv := dovetest.StartSMTPTLS(t, testUser, testPass, good, false)
		err := CheckSMTP(ctx, submissionConfig(t, srv.Addr, TLS), Auth{Password: testPass}, trust)
		wantKind(t, err, KindTLS, "does not speak TLS on this port")
	})

	t.Run("STARTTLS where the server offers none", func(t *testing.T) {
		srv := dovetest.StartSMTP(t, testUser, testPass)
		err := CheckSMTP(ctx, submissionConfig(t, srv.Addr, StartTLS), Auth{Password: testPass}, trust)
		wantKind(t, err, KindCapability, "does not offer STARTTLS")
	})
}

// TestSubmissionXOAuth2 signs in to SMTP with XOAUTH2, the mechanism Gmail
// and Microsoft 365 offer (OAUTHBEARER is covered by the OAuth2 test), and
// checks a refused token is a rejected login.
func TestSubmissionXOAuth2(t *testing.T) {
	ctx := context.Background()
	srv := dovetest.StartSMTP(t, testUser, testPass)
	srv.XOAuth2 = true
	srv.CheckToken = func(user, token string) bool { return user == testUser && token == "fresh-access-token" }
	cfg := submissionConfig(t, srv.Addr, None)
	token := func(tok string) Auth {
		return Auth{Token: func(context.Context) (string, error) { return tok, nil }}
	}
	if err := Send(ctx, cfg, token("fresh-access-token"), testUser, []string{"ann@example.com"}, sample(1), nil); err != nil {
		t.Fatalf("send with XOAUTH2: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("server got %d messages, want 1", n)
	}
	err := Send(ctx, cfg, token("forged"), testUser, []string{"ann@example.com"}, sample(2), nil)
	wantKind(t, err, KindAuth, "login rejected")
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("a forged token sent mail: %d messages, want 1", n)
	}
}

func wantKind(t *testing.T, err error, kind Kind, says string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want an *email.Error of kind %s", err, err, kind)
	}
	if e.Kind != kind || !strings.Contains(err.Error(), says) {
		t.Errorf("got kind %s %q, want kind %s saying %q", e.Kind, err, kind, says)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestIMAPOverTLS signs in over implicit TLS (993) and STARTTLS (143) to
// go-imap's in-memory server, which refuses to sign anyone in before TLS
// is up, and checks an untrusted certificate is refused with the reason.
func TestIMAPOverTLS(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	good := dovetest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), "127.0.0.1")
	user := imapmemserver.NewUser(testUser, testPass)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		implicit bool
		sec      Security
	}{{"993 implicit TLS", true, TLS}, {"143 STARTTLS", false, StartTLS}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := imapserver.New(&imapserver.Options{
				NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
					return imapmemserver.NewUserSession(user), nil, nil
				},
				Caps:      imap.CapSet{imap.CapIMAP4rev1: {}},
				TLSConfig: &tls.Config{Certificates: []tls.Certificate{good.TLS}},
			})
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			if tc.implicit {
				l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{good.TLS}})
			}
			go srv.Serve(l)
			t.Cleanup(func() { srv.Close() })
			host, port, _ := net.SplitHostPort(l.Addr().String())
			p, _ := strconv.Atoi(port)
			cfg := Config{Address: testUser, IMAPHost: host, IMAPPort: p, IMAPSecurity: tc.sec, SMTPHost: host, SMTPPort: 1, SMTPSecurity: None}
			s, err := Connect(ctx, cfg, Auth{Password: testPass}, &Options{TLSConfig: &tls.Config{RootCAs: good.Pool}, DialTimeout: 5 * time.Second})
			if err != nil {
				t.Fatalf("connect: %v", err)
			}
			folders, err := s.Folders(ctx)
			s.Close()
			if err != nil || len(folders) == 0 {
				t.Fatalf("folders over TLS: %v %v", folders, err)
			}
			_, err = Connect(ctx, cfg, Auth{Password: testPass}, &Options{DialTimeout: 5 * time.Second})
			wantKind(t, err, KindTLS, `"127.0.0.1" is signed by an unknown authority`)
		})
	}
}

// TestTLSAgainstDovecot signs in to a real Dovecot over implicit TLS (its
// imaps listener) and over STARTTLS, reads the folders, and refuses the
// same server when the machine does not trust its certificate.
func TestTLSAgainstDovecot(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	cert := dovetest.NewCert(t, now.Add(-time.Hour), now.Add(time.Hour), "127.0.0.1")
	dove := dovetest.StartWith(t, dovetest.Options{Users: map[string]string{testUser: testPass}, TLS: &cert})
	if err := dove.Save(testUser, "INBOX", sample(1)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, addr string
		sec        Security
	}{{"imaps", dove.TLSAddr, TLS}, {"STARTTLS", dove.Addr, StartTLS}} {
		t.Run(tc.name, func(t *testing.T) {
			host, port, _ := net.SplitHostPort(tc.addr)
			p, _ := strconv.Atoi(port)
			cfg := Config{Address: testUser, IMAPHost: host, IMAPPort: p, IMAPSecurity: tc.sec, SMTPHost: host, SMTPPort: 1, SMTPSecurity: None}
			s, err := Connect(ctx, cfg, Auth{Password: testPass}, &Options{TLSConfig: &tls.Config{RootCAs: cert.Pool}, DialTimeout: 5 * time.Second})
			if err != nil {
				t.Fatalf("connect: %v\n%s", err, dove.Log())
			}
			folders, err := s.Folders(ctx)
			s.Close()
			if err != nil || len(PickFolders(folders, nil)) != 3 {
				t.Fatalf("folders over %s: %v %v, want INBOX, Sent and Archive", tc.name, folders, err)
			}
			_, err = Connect(ctx, cfg, Auth{Password: testPass}, &Options{DialTimeout: 5 * time.Second})
			wantKind(t, err, KindTLS, `"127.0.0.1" is signed by an unknown authority`)
		})
	}
}
