package cli

import (
	"fmt"
	"io"
	"strings"

	"tidings/backend/workspace"
)

// showWithCustomer is `show --json --customer`: the conversation, and its
// customer with every conversation and message across channels.
type showWithCustomer struct {
	workspace.ThreadView
	Customer *workspace.CustomerView `json:"customer,omitempty"`
}

// printCustomer writes the customer's timeline across channels, oldest
// first: every message of every conversation, with its channel and
// conversation, marking the one shown.
func printCustomer(w io.Writer, v workspace.CustomerView, current string) {
	channels := map[string]bool{}
	for _, c := range v.Conversations {
		channels[c.Channel] = true
	}
	var names []string
	for _, ch := range []string{"email", "telegram", "whatsapp", "sms"} {
		if channels[ch] {
			names = append(names, ch)
			delete(channels, ch)
		}
	}
	for ch := range channels {
		names = append(names, ch)
	}
	fmt.Fprintf(w, "\n%s across channels: %d conversations on %s\n", v.Contact.Name, len(v.Conversations), strings.Join(names, ", "))
	subject := map[string]string{}
	for _, c := range v.Conversations {
		s := c.Subject
		if s == "" {
			s = "(" + c.Channel + " chat)"
		}
		subject[c.ID] = s
		mark := " "
		if c.ID == current {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %s · %s · %s · %s\n", mark, c.ID, c.Channel, c.Status, s)
	}
	fmt.Fprintln(w)
	for _, e := range v.Timeline {
		m := e.Message
		arrow := "←"
		if m.Direction == "out" {
			arrow = "→"
		}
		text := strings.Join(strings.Fields(m.Text), " ")
		if r := []rune(text); len(r) > 80 {
			text = string(r[:79]) + "…"
		}
		fmt.Fprintf(w, "%s %s %-8s %s · %s\n", when(m.Date), arrow, e.Channel, subject[e.ConversationID], text)
	}
}
