package canned

import (
	"slices"
	"testing"
)

func TestFill(t *testing.T) {
	full := map[string]string{FirstName: "Ann", LastName: "Lee", Name: "Ann Lee", Email: "ann@customer.example",
		AgentName: "Sam", AccountName: "Shop", ConversationSubject: "Brakes"}
	cases := []struct {
		name, body       string
		values           map[string]string
		text             string
		missing, unknown []string
	}{
		{"every field", "Hi {first_name} {last_name} ({name}, {email}), about {conversation_subject}: {agent_name} at {account_name}",
			full, "Hi Ann Lee (Ann Lee, ann@customer.example), about Brakes: Sam at Shop", nil, nil},
		{"no fields", "Thanks for writing.", full, "Thanks for writing.", nil, nil},
		{"repeated field", "{first_name}, {first_name}!", full, "Ann, Ann!", nil, nil},
		{"empty value stays and is reported once", "Hi {first_name}, mail {email} or {email}",
			map[string]string{FirstName: "Bob", Email: "  "}, "Hi Bob, mail {email} or {email}", []string{Email}, nil},
		{"unknown field stays and is reported", "Hi {frist_name} {first_name}", full, "Hi {frist_name} Ann", nil, []string{"frist_name"}},
		{"braces that are no field are text", "Use {} or {Name} or { name } or {1st}", full, "Use {} or {Name} or { name } or {1st}", nil, nil},
		{"nil values", "Dear {name}", nil, "Dear {name}", []string{Name}, nil},
		{"value is not re-expanded", "Hi {first_name}", map[string]string{FirstName: "{email}", Email: "x@y.example"}, "Hi {email}", nil, nil},
		{"value trimmed", "Hi {first_name}.", map[string]string{FirstName: "  Ann \n"}, "Hi Ann.", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Fill(tc.body, tc.values)
			if r.Text != tc.text {
				t.Errorf("text: got %q, want %q", r.Text, tc.text)
			}
			if !slices.Equal(r.Missing, orEmpty(tc.missing)) {
				t.Errorf("missing: got %q, want %q", r.Missing, tc.missing)
			}
			if !slices.Equal(r.Unknown, orEmpty(tc.unknown)) {
				t.Errorf("unknown: got %q, want %q", r.Unknown, tc.unknown)
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestFieldsIn(t *testing.T) {
	got := FieldsIn("{first_name} {x} {first_name} {email}")
	if want := []string{"first_name", "x", "email"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if r := (Result{Missing: []string{"email"}, Unknown: []string{"x"}}); !slices.Equal(r.Unfilled(), []string{"email", "x"}) {
		t.Errorf("unfilled: got %q", r.Unfilled())
	}
}
