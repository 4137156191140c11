package inbox

import (
	"fmt"
	"time"
)

// Status is where a conversation stands in the owner's workflow.
type Status string

// The four statuses of a conversation.
const (
	// StatusOpen needs an answer from the business.
	StatusOpen Status = "open"
	// StatusPending waits on the customer.
	StatusPending Status = "pending"
	// StatusSnoozed is hidden until SnoozedUntil, then opens again.
	StatusSnoozed Status = "snoozed"
	// StatusClosed is done; a new inbound message reopens it.
	StatusClosed Status = "closed"
)

// Statuses lists every status in sidebar order.
var Statuses = []Status{StatusOpen, StatusPending, StatusSnoozed, StatusClosed}

// ParseStatus checks s against the known statuses.
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("inbox: unknown status %q (want open, pending, snoozed or closed): %w", s, ErrInvalid)
}

// SetStatus moves the conversation to st. Snoozing needs a time in the future;
// every other status clears the snooze.
func (c *Conversation) SetStatus(st Status, until time.Time, now time.Time) error {
	if _, err := ParseStatus(string(st)); err != nil {
		return err
	}
	if st == StatusSnoozed {
		if until.IsZero() || !until.After(now) {
			return fmt.Errorf("inbox: snooze needs a time in the future: %w", ErrInvalid)
		}
		c.SnoozedUntil = until.UTC()
	} else {
		c.SnoozedUntil = time.Time{}
	}
	c.Status = st
	return nil
}

// ApplyInbound records that a customer's message arrived at "at". A closed,
// pending or snoozed conversation opens again, since the customer is waiting
// on us now. It reports whether the status changed.
func (c *Conversation) ApplyInbound(at time.Time) bool {
	if c.Status == StatusOpen {
		return false
	}
	c.Status = StatusOpen
	c.SnoozedUntil = time.Time{}
	return true
}

// ApplyOutbound records that the business answered. An open conversation
// becomes pending (waiting on the customer) only when asked to; by default
// the status is the owner's choice, so it is left alone.
func (c *Conversation) ApplyOutbound(markPending bool) bool {
	if markPending && c.Status == StatusOpen {
		c.Status = StatusPending
		return true
	}
	return false
}

// Wake opens a snoozed conversation whose time has come. It reports whether
// the conversation woke.
func (c *Conversation) Wake(now time.Time) bool {
	if c.Status != StatusSnoozed || c.SnoozedUntil.After(now) {
		return false
	}
	c.Status = StatusOpen
	c.SnoozedUntil = time.Time{}
	return true
}
