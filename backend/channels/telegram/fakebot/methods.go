package fakebot

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		s.download(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeErr(w, apiError{404, "Not Found", 0})
		return
	}
	s.mu.Lock()
	s.calls[method]++
	valid := token == s.Token
	var f *fault
	for i := range s.faults {
		if s.faults[i].method == method {
			ff := s.faults[i]
			f = &ff
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			break
		}
	}
	s.mu.Unlock()
	if !valid {
		writeErr(w, apiError{401, "Unauthorized", 0})
		return
	}
	if f != nil && f.drop {
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f != nil {
		writeErr(w, apiError{f.code, f.desc, f.retryAfter})
		return
	}
	p, files, err := params(r)
	if err != nil {
		writeErr(w, apiError{400, "Bad Request: " + err.Error(), 0})
		return
	}
	var result any
	var ae *apiError
	switch method {
	case "getMe":
		result = s.Bot.wire()
	case "getUpdates":
		result, ae = s.getUpdates(r, p)
	case "getFile":
		result, ae = s.getFile(p)
	case "deleteWebhook":
		s.mu.Lock()
		s.webhook = ""
		s.mu.Unlock()
		result = true
	case "sendMessage", "sendPhoto", "sendDocument", "sendVoice":
		result, ae = s.send(method, p, files)
	default:
		ae = &apiError{404, "Not Found", 0}
	}
	if ae != nil {
		writeErr(w, *ae)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeErr(w http.ResponseWriter, e apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	json.NewEncoder(w).Encode(body)
}

type upload struct {
	name string
	data []byte
}

// params reads parameters from the query string and the body, in any of the
// three encodings the Bot API accepts. JSON values that are not strings
// keep their JSON text.
func params(r *http.Request) (map[string]string, map[string]upload, error) {
	p := map[string]string{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	files := map[string]upload{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, nil, fmt.Errorf("can't parse JSON object")
		}
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				p[k] = s
			} else {
				p[k] = string(v)
			}
		}
	case "application/x-www-form-urlencoded":
		b, _ := io.ReadAll(r.Body)
		v, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, nil, err
		}
		for k := range v {
			p[k] = v.Get(k)
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(MaxUploadSize + 1<<20); err != nil {
			return nil, nil, fmt.Errorf("can't parse multipart body: %v", err)
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, nil, err
			}
			b, _ := io.ReadAll(f)
			f.Close()
			files[k] = upload{name: fhs[0].Filename, data: b}
		}
	}
	return p, files, nil
}

func (s *Server) getUpdates(r *http.Request, p map[string]string) (any, *apiError) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	wait := time.Duration(timeout) * time.Second
	if wait > s.MaxWait {
		wait = s.MaxWait
	}
	s.mu.Lock()
	if s.webhook != "" {
		s.mu.Unlock()
		return nil, &apiError{409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0}
	}
	// A new poll terminates the one still waiting.
	if s.polling != nil {
		close(s.polling)
	}
	mine := make(chan struct{})
	s.polling = mine
	s.confirmLocked(offset)
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		if len(s.queue) > 0 || wait == 0 {
			out := make([]json.RawMessage, 0, limit)
			for _, u := range s.queue {
				if len(out) == limit {
					break
				}
				out = append(out, u.raw)
			}
			if s.polling == mine {
				s.polling = nil
			}
			s.mu.Unlock()
			return out, nil
		}
		notify := s.notify
		s.mu.Unlock()
		select {
		case <-notify:
		case <-mine:
			return nil, &apiError{409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", 0}
		case <-deadline.C:
			wait = 0
		case <-r.Context().Done():
			s.mu.Lock()
			if s.polling == mine {
				s.polling = nil
			}
			s.mu.Unlock()
			return nil, &apiError{499, "client went away", 0}
		}
		s.mu.Lock()
	}
}

// confirmLocked forgets the updates an offset confirms: every update below
// a positive offset, or all but the last -offset for a negative one.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
	case offset < 0:
		if n := int(-offset); n < len(s.queue) {
			s.queue = s.queue[len(s.queue)-n:]
		}
	}
}

func (s *Server) getFile(p map[string]string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[p["file_id"]]
	if !ok {
		return nil, &apiError{400, "Bad Request: invalid file_id", 0}
	}
	if len(f.Data) > MaxDownloadSize {
		return nil, &apiError{400, "Bad Request: file is too big", 0}
	}
	return map[string]any{"file_id": f.ID, "file_unique_id": f.UniqueID, "file_size": len(f.Data), "file_path": f.Path}, nil
}

func (s *Server) download(w http.ResponseWriter, rest string) {
	token, path, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	valid := token == s.Token
	var data []byte
	found := false
	for _, f := range s.files {
		if f.Path == path && !f.gone {
			data, found = f.Data, true
		}
	}
	s.mu.Unlock()
	if !valid {
		writeErr(w, apiError{401, "Unauthorized", 0})
		return
	}
	if !found {
		writeErr(w, apiError{404, "Not Found", 0})
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
