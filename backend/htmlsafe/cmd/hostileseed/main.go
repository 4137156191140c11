// Command hostileseed fills a data directory with one conversation per
// hostile HTML mail of the htmlsafe corpus, for the browser test that opens
// them in the real window (frontend/e2e/hostile.test.mjs):
//
//	go run ./backend/htmlsafe/cmd/hostileseed DIR [CORPUS_DIR]
//
// Each conversation's subject is the corpus file's name; the message's HTML
// body is the file, byte for byte.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: hostileseed DIR [CORPUS_DIR]")
		os.Exit(2)
	}
	corpus := filepath.Join("backend", "htmlsafe", "testdata", "hostile")
	if len(os.Args) == 3 {
		corpus = os.Args[2]
	}
	n, err := seed(context.Background(), os.Args[1], corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostileseed:", err)
		os.Exit(1)
	}
	fmt.Printf("hostileseed: %d hostile conversations in %s\n", n, os.Args[1])
}

func seed(ctx context.Context, dir, corpus string) (int, error) {
	files, err := filepath.Glob(filepath.Join(corpus, "*.html"))
	if err != nil || len(files) == 0 {
		return 0, fmt.Errorf("no corpus files in %s", corpus)
	}
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		return 0, err
	}
	defer ws.Close()
	st := ws.Store
	now := time.Now().UTC().Truncate(time.Second)
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		contactID, err := st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, "hostile@evil.test", "Hostile Sender")
		if err != nil {
			return err
		}
		for i, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			name := strings.TrimSuffix(filepath.Base(f), ".html")
			at := now.Add(-time.Duration(len(files)-i) * time.Minute)
			c := inbox.Conversation{ContactID: contactID, Channel: inbox.ChannelEmail, Subject: name, Status: inbox.StatusOpen, CreatedAt: at}
			if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			m := inbox.Message{
				ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Date: at, ReceivedAt: at,
				From:    inbox.Address{Name: "Hostile Sender", Address: "hostile@evil.test"},
				To:      []inbox.Address{{Address: "owner@shop.example"}},
				Subject: name, Text: "hostile-" + name + " (plain-text part)", HTML: string(raw),
				MessageID: "<" + name + "@evil.test>",
			}
			if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	return len(files), err
}
