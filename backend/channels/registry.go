package channels

import (
	"fmt"
	"sort"

	"tidings/backend/inbox"
)

// Secrets keeps account credentials (tokens, passwords) out of the store, in
// the OS keyring or a private file (backend/secrets implements it). Keys
// name one secret of one account, such as "account/<id>/bot-token"; each
// channel package says which keys it uses. Get returns an error wrapping
// inbox.ErrNotFound for a key never set.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, secret string) error
	Delete(key string) error
}

// Factory builds a Connector for an account. It does no I/O.
type Factory func(acct inbox.Account, secrets Secrets) (Connector, error)

// Registry maps each channel to its factory. It is one explicit map, filled
// by whoever wires the program (see Default).
type Registry map[inbox.Channel]Factory

// Open builds the connector of an account's channel.
func (r Registry) Open(acct inbox.Account, secrets Secrets) (Connector, error) {
	f, ok := r[acct.Channel]
	if !ok {
		return nil, Permanent("open", fmt.Errorf("channels: no connector for channel %q: %w", acct.Channel, inbox.ErrNotAvailable),
			"this build cannot sync "+string(acct.Channel)+" accounts")
	}
	return f(acct, secrets)
}

// Channels lists the registered channels, sorted.
func (r Registry) Channels() []inbox.Channel {
	out := make([]inbox.Channel, 0, len(r))
	for c := range r {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
