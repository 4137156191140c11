package dovetest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// OAuthServer is a fake OAuth2 authorization server shaped like Google's
// and Microsoft's wire format: /authorize (the user consents at once and is
// redirected back with a code), /token (authorization_code with PKCE S256,
// refresh_token), and /introspect (RFC 7662, for Dovecot).
type OAuthServer struct {
	URL      string
	ClientID string
	User     string
	// AccessTTL is the lifetime of access tokens (default 1 h).
	AccessTTL time.Duration
	// RefreshTTL, when set, is announced as refresh_token_expires_in.
	RefreshTTL time.Duration
	mu         sync.Mutex
	codes      map[string]codeGrant
	access     map[string]time.Time
	refresh    map[string]bool
	n          int
	// Refreshes counts refresh_token grants.
	Refreshes int
	srv       *httptest.Server
}

type codeGrant struct {
	challenge, redirect string
}

// StartOAuth runs a fake authorization server for one client and user.
func StartOAuth(tb testing.TB, clientID, user string) *OAuthServer {
	s := &OAuthServer{ClientID: clientID, User: user, AccessTTL: time.Hour, codes: map[string]codeGrant{}, access: map[string]time.Time{}, refresh: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", s.authorize)
	mux.HandleFunc("/token", s.token)
	mux.HandleFunc("/introspect", s.introspect)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

func (s *OAuthServer) next(prefix string) string {
	s.n++
	return fmt.Sprintf("%s-%d-%d", prefix, s.n, time.Now().UnixNano())
}

func (s *OAuthServer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	u, err := url.Parse(redirect)
	if err != nil || u.Hostname() != "127.0.0.1" || q.Get("client_id") != s.ClientID || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	code := s.next("code")
	s.codes[code] = codeGrant{challenge: q.Get("code_challenge"), redirect: redirect}
	s.mu.Unlock()
	back := url.Values{"code": {code}, "state": {q.Get("state")}}
	http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
}

func (s *OAuthServer) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	fail := func(code, desc string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	if r.Form.Get("client_id") != s.ClientID {
		fail("invalid_client", "unknown client")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Form.Get("grant_type") {
	case "authorization_code":
		g, ok := s.codes[r.Form.Get("code")]
		delete(s.codes, r.Form.Get("code"))
		sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
		if !ok || g.redirect != r.Form.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			fail("invalid_grant", "bad code, redirect or verifier")
			return
		}
	case "refresh_token":
		if !s.refresh[r.Form.Get("refresh_token")] {
			fail("invalid_grant", "Token has been expired or revoked.")
			return
		}
		s.Refreshes++
	default:
		fail("unsupported_grant_type", r.Form.Get("grant_type"))
		return
	}
	at, rt := s.next("at"), s.next("rt")
	s.access[at] = time.Now().Add(s.AccessTTL)
	s.refresh[rt] = true
	body := map[string]any{"access_token": at, "refresh_token": rt, "expires_in": int(s.AccessTTL.Seconds()), "token_type": "Bearer"}
	if s.RefreshTTL > 0 {
		body["refresh_token_expires_in"] = int(s.RefreshTTL.Seconds())
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

func (s *OAuthServer) introspect(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	tok := r.Form.Get("token")
	s.mu.Lock()
	exp, ok := s.access[tok]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !ok || time.Now().After(exp) {
		json.NewEncoder(w).Encode(map[string]any{"active": "false"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"active": "true", "username": s.User})
}

// Revoke invalidates every refresh token (the user removed the app).
func (s *OAuthServer) Revoke() {
	s.mu.Lock()
	s.refresh = map[string]bool{}
	s.mu.Unlock()
}

// Valid reports whether an access token is live for user (for the SMTP
// server's CheckToken).
func (s *OAuthServer) Valid(user, token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.access[token]
	return ok && user == s.User && time.Now().Before(exp)
}
