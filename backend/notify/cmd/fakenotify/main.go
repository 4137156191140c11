// Command fakenotify runs a private D-Bus session bus with a fake
// freedesktop notification server on it (backend/notify/notifytest), for
// the browser end-to-end test: the dev binary shows its notifications
// there, and the test reads them and clicks one over HTTP.
//
//	fakenotify DIR
//
// prints "DBUS_SESSION_BUS_ADDRESS=…" and "NOTIFY_CONTROL=http://…/" and
// serves, until SIGTERM or SIGINT:
//
//	GET  /calls        the Notify calls so far (JSON)
//	POST /click?id=N   the user clicks notification N (ActionInvoked "default")
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"tidings/backend/notify/notifytest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: fakenotify DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "fakenotify:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bus, err := notifytest.StartBus(dir)
	if err != nil {
		return err
	}
	defer bus.Close()
	srv, err := notifytest.Serve(bus.Address)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /calls", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		calls := srv.Calls()
		if calls == nil {
			calls = []notifytest.Call{}
		}
		json.NewEncoder(w).Encode(calls)
	})
	mux.HandleFunc("POST /click", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseUint(r.URL.Query().Get("id"), 10, 32)
		if err != nil {
			http.Error(w, "fakenotify: id must be a notification number", http.StatusBadRequest)
			return
		}
		if err := srv.Click(uint32(id)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	hs := &http.Server{Handler: mux}
	go hs.Serve(ln)
	fmt.Printf("DBUS_SESSION_BUS_ADDRESS=%s\nNOTIFY_CONTROL=http://%s/\n", bus.Address, ln.Addr())
	<-ctx.Done()
	return hs.Close()
}
