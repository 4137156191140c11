// Package identity keeps one customer across channels: it suggests merging
// contacts that share a phone number or email address, or whose chat shows
// an address another contact owns, and lets the owner accept (a reversible
// store.MergeContacts), undo or dismiss. It never merges on its own. It also
// picks the channel a reply goes out on: the one the customer last used,
// among every channel the customer can be reached on.
package identity

import (
	"context"
	"fmt"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Refresh looks for contacts that may be one customer and stores a
// suggestion for each new pair. Dismissed or accepted pairs are not
// suggested again. It returns how many suggestions are new.
func Refresh(ctx context.Context, st *store.Store) (int, error) {
	cands, err := st.MergeCandidates(ctx)
	if err != nil {
		return 0, fmt.Errorf("identity: %w", err)
	}
	n := 0
	for _, c := range cands {
		isNew, err := st.AddSuggestion(ctx, &inbox.MergeSuggestion{ContactA: c.ContactA, ContactB: c.ContactB, Reason: c.Reason, Detail: c.Detail})
		if err != nil {
			return n, fmt.Errorf("identity: %w", err)
		}
		if isNew {
			n++
		}
	}
	return n, nil
}

// Suggestion is a merge suggestion with both contacts, as the window shows
// it.
type Suggestion struct {
	inbox.MergeSuggestion
	A, B inbox.Contact
}

// Suggestions lists the open suggestions with their contacts.
func Suggestions(ctx context.Context, st *store.Store) ([]Suggestion, error) {
	gs, err := st.Suggestions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, 0, len(gs))
	for _, g := range gs {
		a, err := st.Contact(ctx, g.ContactA)
		if err != nil {
			return nil, err
		}
		b, err := st.Contact(ctx, g.ContactB)
		if err != nil {
			return nil, err
		}
		out = append(out, Suggestion{MergeSuggestion: g, A: a, B: b})
	}
	return out, nil
}

// Accept merges the two contacts of a suggestion, keeping keepID (one of
// them; "" keeps the older contact), and returns the merge's ID for Undo.
func Accept(ctx context.Context, st *store.Store, suggestionID, keepID string) (string, error) {
	g, err := st.Suggestion(ctx, suggestionID)
	if err != nil {
		return "", err
	}
	if g.MergeID != "" {
		return "", fmt.Errorf("identity: suggestion %s was already accepted: %w", suggestionID, inbox.ErrConflict)
	}
	if !g.DismissedAt.IsZero() {
		return "", fmt.Errorf("identity: suggestion %s was dismissed: %w", suggestionID, inbox.ErrConflict)
	}
	a, err := st.Contact(ctx, g.ContactA)
	if err != nil {
		return "", err
	}
	b, err := st.Contact(ctx, g.ContactB)
	if err != nil {
		return "", err
	}
	keep, gone := a, b
	switch keepID {
	case "":
		if b.CreatedAt.Before(a.CreatedAt) {
			keep, gone = b, a
		}
	case a.ID:
	case b.ID:
		keep, gone = b, a
	default:
		return "", fmt.Errorf("identity: contact %s is not part of suggestion %s: %w", keepID, suggestionID, inbox.ErrInvalid)
	}
	mergeID, err := st.MergeContacts(ctx, keep.ID, gone.ID)
	if err != nil {
		return "", err
	}
	if err := st.SetSuggestionMerge(ctx, g.ID, mergeID); err != nil {
		return mergeID, err
	}
	return mergeID, nil
}

// Undo reverses an accepted merge. The suggestion that led to it is
// dismissed, so it is not offered again.
func Undo(ctx context.Context, st *store.Store, mergeID string) (string, error) {
	restored, err := st.UndoMerge(ctx, mergeID)
	if err != nil {
		return "", err
	}
	if g, err := st.SuggestionByMerge(ctx, mergeID); err == nil {
		if err := st.DismissSuggestion(ctx, g.ID); err != nil {
			return restored, err
		}
	}
	return restored, nil
}

// Dismiss hides a suggestion for good.
func Dismiss(ctx context.Context, st *store.Store, suggestionID string) error {
	return st.DismissSuggestion(ctx, suggestionID)
}
