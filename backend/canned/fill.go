// Package canned fills the fields of canned replies ({first_name},
// {conversation_subject}, ...) from the customer, the conversation and the
// person answering. A field it cannot fill, because it is unknown or its
// value is empty, stays in the text as written and is reported, so the
// composer shows it to the owner instead of sending "{first_name}".
package canned

import (
	"regexp"
	"slices"
	"strings"
)

// Field names a canned reply may use.
const (
	FirstName           = "first_name"
	LastName            = "last_name"
	Name                = "name"
	Email               = "email"
	AgentName           = "agent_name"
	AccountName         = "account_name"
	ConversationSubject = "conversation_subject"
)

// Fields lists every known field in the order the settings show them.
var Fields = []string{FirstName, LastName, Name, Email, ConversationSubject, AgentName, AccountName}

// Known reports whether name is a field Fill understands.
func Known(name string) bool { return slices.Contains(Fields, name) }

// fieldRe matches a field: a lower-case name in braces, such as {first_name}.
var fieldRe = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// Result is a filled canned reply.
type Result struct {
	// Text has every field with a value replaced; the others stay as
	// "{name}" so they cannot go out unnoticed.
	Text string `json:"text"`
	// Missing lists known fields without a value here (no email address
	// on a Telegram customer), once each, in order of appearance.
	Missing []string `json:"missing"`
	// Unknown lists names in braces that are no field (a typo such as
	// {frist_name}), once each, in order of appearance.
	Unknown []string `json:"unknown"`
}

// Unfilled returns the fields left in the text, Missing then Unknown.
func (r Result) Unfilled() []string { return append(append([]string{}, r.Missing...), r.Unknown...) }

// Fill replaces the fields of body with values (field name → value). Values
// are trimmed; an empty one counts as missing.
func Fill(body string, values map[string]string) Result {
	r := Result{Missing: []string{}, Unknown: []string{}}
	r.Text = fieldRe.ReplaceAllStringFunc(body, func(tok string) string {
		name := tok[1 : len(tok)-1]
		if !Known(name) {
			if !slices.Contains(r.Unknown, name) {
				r.Unknown = append(r.Unknown, name)
			}
			return tok
		}
		v := strings.TrimSpace(values[name])
		if v == "" {
			if !slices.Contains(r.Missing, name) {
				r.Missing = append(r.Missing, name)
			}
			return tok
		}
		return v
	})
	return r
}

// FieldsIn lists the distinct fields written in body, known or not, in
// order of appearance (for the settings' preview).
func FieldsIn(body string) []string {
	var out []string
	for _, m := range fieldRe.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}
