package app

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"tidings/backend/inbox"
)

func TestCannedReplies(t *testing.T) {
	a, _ := newInbox(t)
	mail, conv := emailConversation(t, a) // Ann <ann@customer.example>, subject "Brakes"

	thanks, err := a.SaveCannedReply(CannedReplyView{Name: "Thanks", Body: "Hi {first_name},\n\nthanks for your mail about {conversation_subject}.\n{agent_name}"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(thanks.Fields, []string{"first_name", "conversation_subject", "agent_name"}) || thanks.ID == "" {
		t.Errorf("saved: got %+v", thanks)
	}
	if _, err := a.SaveCannedReply(CannedReplyView{Name: "Typo", Body: "Hi {frist_name}"}); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "{frist_name}") {
		t.Errorf("unknown field: got %v, want ErrInvalid naming it", err)
	}
	if _, err := a.SaveCannedReply(CannedReplyView{Name: "thanks", Body: "again"}); !errors.Is(err, inbox.ErrConflict) {
		t.Errorf("same name: got %v, want ErrConflict", err)
	}

	// The agent has no name yet: the field stays and is reported.
	r, err := a.FillCannedReply(FillRequest{CannedID: thanks.ID, ConversationID: conv})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Hi Ann,\n\nthanks for your mail about Brakes.\n{agent_name}" || !slices.Equal(r.Missing, []string{"agent_name"}) {
		t.Errorf("fill without an agent name: got %q missing %v", r.Text, r.Missing)
	}
	if err := a.SetAgentName("Sam"); err != nil {
		t.Fatal(err)
	}
	if r, _ = a.FillCannedReply(FillRequest{CannedID: thanks.ID, ConversationID: conv}); r.Text != "Hi Ann,\n\nthanks for your mail about Brakes.\nSam" || len(r.Unfilled()) != 0 {
		t.Errorf("fill: got %q unfilled %v", r.Text, r.Unfilled())
	}

	// A new message: the customer is found by the first recipient.
	thanks.Body = "Dear {name} ({email}) from {account_name}: {conversation_subject}"
	if thanks, err = a.SaveCannedReply(thanks); err != nil {
		t.Fatal(err)
	}
	r, err = a.FillCannedReply(FillRequest{CannedID: thanks.ID, AccountID: mail.ID, To: []string{"ANN@customer.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Dear Ann (ann@customer.example) from Shop: {conversation_subject}" || !slices.Equal(r.Missing, []string{"conversation_subject"}) {
		t.Errorf("new message fill: got %q missing %v", r.Text, r.Missing)
	}
	// Nobody known: the name typed in To, or nothing.
	if r, _ = a.FillCannedReply(FillRequest{CannedID: thanks.ID, To: []string{"Zoe Park <zoe@else.example>"}}); !strings.HasPrefix(r.Text, "Dear Zoe Park (zoe@else.example)") {
		t.Errorf("unknown recipient: got %q", r.Text)
	}
	if r, _ = a.FillCannedReply(FillRequest{CannedID: thanks.ID}); !slices.Equal(r.Missing, []string{"name", "email", "account_name", "conversation_subject"}) {
		t.Errorf("nothing known: missing %v", r.Missing)
	}

	list, err := a.CannedReplies()
	if err != nil || len(list) != 1 || list[0].Body != thanks.Body {
		t.Fatalf("list: got %+v, %v", list, err)
	}
	if err := a.DeleteCannedReply(thanks.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteCannedReply(thanks.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("delete twice: got %v, want ErrNotFound", err)
	}
	if _, err := a.FillCannedReply(FillRequest{CannedID: thanks.ID}); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("fill deleted: got %v, want ErrNotFound", err)
	}
	if err := a.SetAgentName("two\nlines"); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("agent name with a newline: got %v", err)
	}
}
