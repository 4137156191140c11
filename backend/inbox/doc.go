// Package inbox is the domain of Tidings: contacts and their identities on
// every channel, conversations and their statuses, messages, labels, notes and
// the outbox. It holds types and the rules that govern them, and imports only
// the standard library, so every other package can depend on it.
package inbox
