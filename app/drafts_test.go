package app

import (
	"errors"
	"testing"

	"tidings/backend/inbox"
)

func TestDraftsSurviveAndGo(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.Draft("cv_1:reply"); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("no draft yet: got %v, want ErrNotFound", err)
	}
	d := DraftView{Mode: "reply", To: []string{"ann@customer.example"}, Body: "Half-written answer"}
	if err := a.SaveDraft("cv_1:reply", d); err != nil {
		t.Fatal(err)
	}
	got, err := a.Draft("cv_1:reply")
	if err != nil || got.Body != d.Body || got.To[0] != d.To[0] || got.UpdatedAt == "" {
		t.Fatalf("restored draft: got %+v, %v", got, err)
	}
	if err := a.DeleteDraft("cv_1:reply"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Draft("cv_1:reply"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("after delete: got %v, want ErrNotFound", err)
	}
	if err := a.SaveDraft("", d); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("empty key: got %v, want ErrInvalid", err)
	}
}

func TestPreferences(t *testing.T) {
	a, _ := newInbox(t)
	if v, err := a.Preference("layout"); err != nil || v != "" {
		t.Fatalf("unset: got %q, %v", v, err)
	}
	if err := a.SetPreference("layout", `{"list":400}`); err != nil {
		t.Fatal(err)
	}
	if v, _ := a.Preference("layout"); v != `{"list":400}` {
		t.Errorf("got %q", v)
	}
}
