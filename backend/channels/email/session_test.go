package email

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email/dovetest"
)

const (
	testUser = "owner@shop.example"
	testPass = "s3cret-pass"
)

func dovecotConfig(t *testing.T, s *dovetest.Server) Config {
	t.Helper()
	host, port, _ := net.SplitHostPort(s.Addr)
	p, _ := strconv.Atoi(port)
	return Config{Address: testUser, IMAPHost: host, IMAPPort: p, IMAPSecurity: None, SMTPHost: host, SMTPPort: 1, SMTPSecurity: None}
}

func sample(i int) []byte {
	return []byte(fmt.Sprintf("From: Customer %d <c%d@example.com>\r\nTo: %s\r\nSubject: Order %d\r\nMessage-ID: <m%d@example.com>\r\nDate: Mon, 2 Mar 2026 10:%02d:00 +0000\r\n\r\nBody %d\r\n", i, i, testUser, i, i, i%60, i))
}

func TestSessionAgainstDovecot(t *testing.T) {
	srv := dovetest.Start(t, map[string]string{testUser: testPass})
	for i := 1; i <= 5; i++ {
		if err := srv.Save(testUser, "INBOX", sample(i)); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	var trace bytes.Buffer
	s, err := Connect(ctx, dovecotConfig(t, srv), Auth{Password: testPass}, &Options{Debug: &trace})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if strings.Contains(trace.String(), testPass) {
		t.Errorf("the debug trace contains the password")
	}
	folders, err := s.Folders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	picked := PickFolders(folders, nil)
	if got := fmt.Sprint(picked); got != "[{INBOX inbox} {Sent sent} {Archive archive}]" {
		t.Errorf("picked folders: got %s, want INBOX, Sent, Archive with roles", got)
	}
	st, err := s.Select(ctx, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != 5 || st.UIDNext != 6 || st.UIDValidity == 0 || !st.CondStore {
		t.Errorf("select: got %+v, want 5 messages, UIDNEXT 6, CONDSTORE", st)
	}
	uids, err := s.UIDs(ctx)
	if err != nil || fmt.Sprint(uids) != "[1 2 3 4 5]" {
		t.Fatalf("uids: got %v %v", uids, err)
	}
	var got []uint32
	err = s.Fetch(ctx, [][]uint32{{5, 4}, {3, 2}, {1}}, func(b []Fetched) error {
		for _, f := range b {
			got = append(got, f.UID)
			if !bytes.Equal(bytes.ReplaceAll(f.Raw, []byte("\r\n"), []byte("\n")), bytes.ReplaceAll(sample(int(f.UID)), []byte("\r\n"), []byte("\n"))) {
				t.Errorf("uid %d: body differs: %q", f.UID, f.Raw)
			}
			if HasFlag(f.Flags, FlagSeen) {
				t.Errorf("uid %d: fetched as seen, want BODY.PEEK", f.UID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[4 5 2 3 1]" {
		t.Errorf("fetch order: got %v, want batches newest first", got)
	}
	if err := s.SetFlags(ctx, []uint32{2}, []string{FlagSeen, FlagFlagged}, nil); err != nil {
		t.Fatal(err)
	}
	metas, err := s.Metas(ctx, nil, st.HighestModSeq, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(metas) != 1 || metas[0].UID != 2 || !HasFlag(metas[0].Flags, FlagFlagged) {
		t.Errorf("changed since %d: got %+v, want uid 2 flagged", st.HighestModSeq, metas)
	}
	uid, _, err := s.Append(ctx, "Sent", sample(99), time.Now())
	if err != nil || uid != 1 {
		t.Errorf("append: uid %d err %v, want uid 1", uid, err)
	}
	found, err := s.FindMessageID(ctx, "Sent", "<m99@example.com>")
	if err != nil || fmt.Sprint(found) != "[1]" {
		t.Errorf("find Message-ID: got %v %v, want [1]", found, err)
	}
	if _, err := s.Select(ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		srv.Save(testUser, "INBOX", sample(6))
	}()
	changed, err := s.Idle(ctx, 10*time.Second)
	if err != nil || !changed {
		t.Errorf("idle: changed %v err %v, want a change", changed, err)
	}
}

func TestConnectErrors(t *testing.T) {
	srv := dovetest.Start(t, map[string]string{testUser: testPass})
	ctx := context.Background()
	cfg := dovecotConfig(t, srv)
	closed := func() int {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		return p
	}()
	certFor := tlsServer(t, "mail.other.example", false)
	selfSigned := tlsServer(t, "localhost", true)
	cases := []struct {
		name   string
		change func(*Config, *Options)
		auth   Auth
		kind   Kind
		says   string
	}{
		{"login rejected", func(*Config, *Options) {}, Auth{Password: "wrong"}, KindAuth, "login rejected"},
		{"connection refused", func(c *Config, _ *Options) { c.IMAPPort = closed }, Auth{Password: testPass}, KindRefused, "refused"},
		{"no STARTTLS", func(c *Config, _ *Options) { c.IMAPSecurity = StartTLS }, Auth{Password: testPass}, KindCapability, "STARTTLS"},
		{"certificate for another host", func(c *Config, o *Options) {
			c.IMAPHost, c.IMAPPort, c.IMAPSecurity = "127.0.0.1", certFor.port, TLS
			o.TLSConfig = &tls.Config{RootCAs: certFor.pool}
		}, Auth{Password: testPass}, KindTLS, `not valid for host "127.0.0.1": it is for mail.other.example`},
		{"self-signed certificate", func(c *Config, o *Options) {
			c.IMAPHost, c.IMAPPort, c.IMAPSecurity = "127.0.0.1", selfSigned.port, TLS
		}, Auth{Password: testPass}, KindTLS, "unknown authority"},
		{"oauth2 without XOAUTH2", func(*Config, *Options) {}, Auth{Token: func(context.Context) (string, error) { return "tok", nil }}, KindCapability, "XOAUTH2"},
		{"plaintext to a remote host", func(c *Config, _ *Options) { c.IMAPHost = "imap.example.com" }, Auth{Password: testPass}, KindTLS, "without TLS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			o := &Options{DialTimeout: 3 * time.Second}
			tc.change(&c, o)
			s, err := Connect(ctx, c, tc.auth, o)
			if err == nil {
				s.Close()
				t.Fatal("connected, want an error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *email.Error", err, err)
			}
			if e.Kind != tc.kind || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("got kind %s %q, want kind %s saying %q", e.Kind, err, tc.kind, tc.says)
			}
			if strings.Contains(err.Error(), testPass) {
				t.Errorf("the error shows the password")
			}
		})
	}
}

func TestClassifyNameNotFound(t *testing.T) {
	err := classifyDial("IMAP nohost.invalid:993", "nohost.invalid", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nohost.invalid", IsNotFound: true}})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindNotFound || !strings.Contains(err.Error(), `"nohost.invalid" was not found`) {
		t.Errorf("got %v, want name-not-found for nohost.invalid", err)
	}
	err = classifyDial("IMAP h:993", "h", &net.OpError{Op: "dial", Err: timeoutErr{}})
	if !errors.As(err, &e) || e.Kind != KindTimeout || !e.Temporary {
		t.Errorf("got %v, want a temporary timeout", err)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

type tlsTarget struct {
	port int
	pool *x509.CertPool
}

// tlsServer accepts TLS handshakes with a self-signed certificate for name.
func tlsServer(t *testing.T, name string, loopbackIP bool) tlsTarget {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	if loopbackIP {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				c.(*tls.Conn).Handshake()
				c.Close()
			}()
		}
	}()
	return tlsTarget{port: l.Addr().(*net.TCPAddr).Port, pool: pool}
}
