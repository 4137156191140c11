package app

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"tidings/backend/workspace"
)

func TestBootServesTheFirstScreen(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	if err := a.SetPreference("layout", `{"sidebar":200}`); err != nil {
		t.Fatal(err)
	}
	assets := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("asset " + r.URL.Path)) })
	h := BootMiddleware(a)(assets)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, BootPath, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: got %d %q, want 200 application/json", BootPath, rec.Code, rec.Header().Get("Content-Type"))
	}
	var b Boot
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	want, err := a.Conversations(workspace.ListOptions{Status: "open", Limit: BootLimit})
	if err != nil {
		t.Fatal(err)
	}
	if b.View != "status:open" || b.Limit != BootLimit || b.Layout != `{"sidebar":200}` {
		t.Errorf("boot: got view %q limit %d layout %q", b.View, b.Limit, b.Layout)
	}
	if len(b.List) == 0 || len(b.List) != len(want) {
		t.Fatalf("boot list: got %d rows, want %d", len(b.List), len(want))
	}
	for i := range want {
		if b.List[i].ID != want[i].ID {
			t.Errorf("row %d: got %s, want %s", i, b.List[i].ID, want[i].ID)
		}
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/index.html", nil))
	if rec.Body.String() != "asset /index.html" {
		t.Errorf("other paths: got %q, want the assets", rec.Body.String())
	}
}

func TestBootFailureIsAnError(t *testing.T) {
	a, _ := newInbox(t)
	a.ws.Close()
	rec := httptest.NewRecorder()
	BootMiddleware(a)(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, BootPath, nil))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("closed store: got %d, want 500", rec.Code)
	}
}

func TestBootAnswersThePreloadAndTheFetchOnce(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	h := BootMiddleware(a)(http.NotFoundHandler())
	get := func() Boot {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, BootPath, nil))
		var b Boot
		if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := get()
	// A change between the two requests of one page load is not seen: the
	// second is the first's answer, not a second query.
	if err := a.SetStatus(first.List[0].ID, "closed", ""); err != nil {
		t.Fatal(err)
	}
	if second := get(); len(second.List) != len(first.List) || second.List[0].ID != first.List[0].ID {
		t.Errorf("second request: got %d rows starting %s, want the first answer (%d rows starting %s)",
			len(second.List), second.List[0].ID, len(first.List), first.List[0].ID)
	}
}
