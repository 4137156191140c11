package dovetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SetPassword changes a user's password (or adds the user), as an owner
// changing it at their provider would: the next sign-in with the old one is
// rejected. Dovecot re-reads its passwd-file when the file's mtime or size
// changed, but at most once a second, so SetPassword returns after the
// second of the last sign-in has passed.
func (s *Server) SetPassword(user, password string) error {
	path := filepath.Join(s.Dir, "users")
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("dovetest: %w", err)
	}
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line != "" && !strings.HasPrefix(line, user+":") {
			out.WriteString(line + "\n")
		}
	}
	fmt.Fprintf(&out, "%s:{PLAIN}%s\n", user, password)
	if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
		return fmt.Errorf("dovetest: %w", err)
	}
	// A second-granular mtime must move for Dovecot to notice.
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		return fmt.Errorf("dovetest: %w", err)
	}
	time.Sleep(1100 * time.Millisecond)
	return nil
}
