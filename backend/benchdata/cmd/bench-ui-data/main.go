// Command bench-ui-data writes a large, realistic inbox into a data
// directory for the window's speed benchmark (scripts/bench-ui.sh).
//
//	bench-ui-data -data DIR [-n 100000] [-seed 1]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"tidings/backend/benchdata"
	"tidings/backend/workspace"
)

func main() {
	dir := flag.String("data", "", "data directory to fill (must hold no accounts yet)")
	n := flag.Int("n", 100000, "conversations")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*dir, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "bench-ui-data:", err)
		os.Exit(1)
	}
}

func run(dir string, n int, seed int64) error {
	if dir == "" {
		return fmt.Errorf("-data is required")
	}
	ctx := context.Background()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer ws.Close()
	if accts, err := ws.Store.Accounts(ctx); err != nil || len(accts) > 0 {
		return fmt.Errorf("%s already holds an inbox (%d accounts, %v); use an empty directory", dir, len(accts), err)
	}
	start := time.Now()
	res, err := benchdata.Generate(ctx, ws.Store, &benchdata.Options{Conversations: n, Seed: seed, Progress: func(done int) {
		if done%20000 == 0 {
			fmt.Fprintf(os.Stderr, "bench-ui-data: %d conversations (%s)\n", done, time.Since(start).Round(time.Second))
		}
	}})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}
