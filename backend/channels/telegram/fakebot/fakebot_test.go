package fakebot

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const token = "42:AAfake"

// post sends a raw request and returns the status and decoded body.
func post(t *testing.T, s *Server, method, contentType string, body io.Reader) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.URL+"/bot"+token+"/"+method, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

func TestWireFormat(t *testing.T) {
	s := New(token)
	defer s.Close()
	s.Fail("getUpdates", 429, "Too Many Requests: retry after 3", 3)
	code, m := post(t, s, "getUpdates", "application/json", strings.NewReader(`{"offset":0}`))
	if code != 429 || m["ok"] != false || m["error_code"] != float64(429) || m["description"] != "Too Many Requests: retry after 3" {
		t.Errorf("429 answer = %d %v", code, m)
	}
	if p, _ := m["parameters"].(map[string]any); p["retry_after"] != float64(3) {
		t.Errorf("parameters = %v, want retry_after 3", m["parameters"])
	}
	resp, _ := http.Get(s.URL + "/botWRONG/getMe")
	if resp.StatusCode != 401 {
		t.Errorf("wrong token: HTTP %d, want 401", resp.StatusCode)
	}
	resp.Body.Close()

	u := User{ID: 5, FirstName: "A"}
	s.Text(u, "one")
	s.Text(u, "two")
	s.Text(u, "three")
	// URL-encoded parameters; offset confirms earlier updates.
	code, m = post(t, s, "getUpdates", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"offset": {"100001"}, "limit": {"1"}}.Encode()))
	res, _ := m["result"].([]any)
	if code != 200 || len(res) != 1 || res[0].(map[string]any)["update_id"] != float64(100001) {
		t.Fatalf("getUpdates offset 100001 limit 1 = %v", m)
	}
	if s.Pending() != 2 {
		t.Errorf("pending = %d, want 2 (update 100000 confirmed)", s.Pending())
	}
	// A negative offset keeps only the last updates.
	_, m = post(t, s, "getUpdates", "application/json", strings.NewReader(`{"offset":-1}`))
	if res, _ := m["result"].([]any); len(res) != 1 || s.Pending() != 1 {
		t.Errorf("offset -1: %d results, %d pending; want 1 and 1", len(res), s.Pending())
	}
	// Multipart upload with reply_parameters as a JSON string.
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("chat_id", "5")
	w.WriteField("reply_parameters", `{"message_id":2}`)
	fw, _ := w.CreateFormFile("document", "a.pdf")
	fw.Write([]byte("%PDF"))
	w.Close()
	code, m = post(t, s, "sendDocument", w.FormDataContentType(), &body)
	if code != 200 || m["ok"] != true {
		t.Fatalf("sendDocument = %d %v", code, m)
	}
	sent := s.Sent()
	if len(sent) != 1 || sent[0].FileName != "a.pdf" || string(sent[0].FileData) != "%PDF" || sent[0].ReplyTo != 2 || sent[0].FileSource != "upload" {
		t.Errorf("sent = %+v", sent)
	}
	code, m = post(t, s, "sendMessage", "application/json", strings.NewReader(`{"chat_id":999,"text":"hi"}`))
	if code != 400 || m["description"] != "Bad Request: chat not found" {
		t.Errorf("unknown chat = %d %v", code, m)
	}
	s.Block(5)
	code, m = post(t, s, "sendMessage", "application/json", strings.NewReader(`{"chat_id":5,"text":"hi"}`))
	if code != 403 || m["description"] != "Forbidden: bot was blocked by the user" {
		t.Errorf("blocked = %d %v", code, m)
	}
	code, _ = post(t, s, "sendSticker", "application/json", strings.NewReader(`{}`))
	if code != 404 {
		t.Errorf("unknown method: HTTP %d, want 404", code)
	}
}

func TestFilesAndLimits(t *testing.T) {
	s := New(token)
	defer s.Close()
	f := s.AddFile("n.txt", "text/plain", []byte("note"))
	_, m := post(t, s, "getFile", "application/json", strings.NewReader(`{"file_id":"`+f.ID+`"}`))
	r, _ := m["result"].(map[string]any)
	resp, err := http.Get(s.URL + "/file/bot" + token + "/" + r["file_path"].(string))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "note" {
		t.Errorf("download = %q, want note", b)
	}
	big := s.AddFile("big.bin", "", make([]byte, MaxDownloadSize+1))
	code, m := post(t, s, "getFile", "application/json", strings.NewReader(`{"file_id":"`+big.ID+`"}`))
	if code != 400 || m["description"] != "Bad Request: file is too big" {
		t.Errorf("big file = %d %v", code, m)
	}
	s.SetWebhook("https://example.com")
	code, m = post(t, s, "getUpdates", "application/json", strings.NewReader(`{}`))
	if code != 409 || !strings.Contains(m["description"].(string), "webhook is active") {
		t.Errorf("webhook set = %d %v", code, m)
	}
}
