// Command oldstore writes a store as an older Tidings left it: the schema
// up to a version, and data written with that version's SQL. The browser
// tests restore it as a backup made by an older version.
//
//	oldstore -version 1 -seed backend/store/testdata/shop_v1.sql OUT
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"tidings/backend/store"
)

func main() {
	version := flag.Int("version", 1, "schema version to stop at")
	seed := flag.String("seed", "", "SQL file with the data, written for that version")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: oldstore -version N [-seed FILE.sql] OUT")
		os.Exit(2)
	}
	var sql []byte
	if *seed != "" {
		var err error
		if sql, err = os.ReadFile(*seed); err != nil {
			fmt.Fprintln(os.Stderr, "oldstore:", err)
			os.Exit(1)
		}
	}
	if err := store.CreateAtVersion(context.Background(), flag.Arg(0), *version, string(sql)); err != nil {
		fmt.Fprintln(os.Stderr, "oldstore:", err)
		os.Exit(1)
	}
}
