package dovetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Cert is a server certificate signed by a throwaway certificate
// authority, and a pool trusting that authority (for the client side).
type Cert struct {
	TLS  tls.Certificate
	Pool *x509.CertPool
}

// NewCert issues a certificate for names (host names or IP addresses)
// valid from notBefore to notAfter, signed by a new CA.
func NewCert(tb testing.TB, notBefore, notAfter time.Time, names ...string) Cert {
	tb.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dovetest CA"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			leaf.IPAddresses = append(leaf.IPAddresses, ip)
		} else {
			leaf.DNSNames = append(leaf.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return Cert{TLS: tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}, Pool: pool}
}

// StartSMTPTLS runs the SMTP submission server behind TLS until cleanup:
// implicit TLS from the first byte (port 465, RFC 8314) when implicit is
// set, else plaintext that offers STARTTLS (port 587, RFC 3207). Either way
// it refuses to sign anyone in before TLS is up.
func StartSMTPTLS(tb testing.TB, user, password string, cert Cert, implicit bool) *SMTPServer {
	tb.Helper()
	s := &SMTPServer{user: user, pw: password}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = l.Addr().String()
	if implicit {
		l = tls.NewListener(l, s.srv.TLSConfig)
	}
	go s.srv.Serve(l)
	tb.Cleanup(func() { s.srv.Close() })
	return s
}

// withTLS writes the certificate and key beside the configuration, turns
// Dovecot's TLS on, and opens the imaps listener on a free port.
func withTLS(s *Server, conf string, c Cert) (string, error) {
	var chain []byte
	for _, der := range c.TLS.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	key, err := x509.MarshalPKCS8PrivateKey(c.TLS.PrivateKey)
	if err != nil {
		return "", err
	}
	certFile, keyFile := filepath.Join(s.Dir, "cert.pem"), filepath.Join(s.Dir, "key.pem")
	if err := os.WriteFile(certFile, chain, 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600); err != nil {
		return "", err
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	s.TLSAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	conf = strings.Replace(conf, "ssl = no\n", "ssl = yes\nssl_cert = <"+certFile+"\nssl_key = <"+keyFile+"\n", 1)
	conf = strings.Replace(conf, "  inet_listener imaps {\n    port = 0\n  }", "  inet_listener imaps {\n    address = 127.0.0.1\n    port = "+strconv.Itoa(port)+"\n  }", 1)
	return conf, nil
}
