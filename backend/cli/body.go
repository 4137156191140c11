package cli

import (
	"fmt"
	"os"
	"strings"
)

// readBody reads a message text for command cmd from path ("-" is standard
// input): an unreadable file is a failure, an empty text a usage error.
func readBody(env *Env, cmd, path string) ([]byte, error) {
	var body []byte
	var err error
	if path == "-" {
		body, err = readAllLimited(env.Stdin)
	} else {
		body, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading the body: %w", cmd, err)
	}
	if strings.TrimSpace(string(body)) == "" {
		return nil, usagef("%s: the body is empty", cmd)
	}
	return body, nil
}
