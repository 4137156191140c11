package store

import (
	"database/sql/driver"

	"modernc.org/sqlite"

	"tidings/backend/inbox"
)

// subjectKeyFunc is the SQL name of inbox.SubjectKey, with which migration
// 0015 fills conversations.subject_key for conversations stored before it.
const subjectKeyFunc = "tidings_subject_key"

func init() {
	// Registered for every connection the driver opens from now on; Open
	// comes later.
	if err := sqlite.RegisterDeterministicScalarFunction(subjectKeyFunc, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return inbox.SubjectKey(v), nil
		case []byte:
			return inbox.SubjectKey(string(v)), nil
		}
		return "", nil
	}); err != nil {
		panic("store: register " + subjectKeyFunc + ": " + err.Error())
	}
}

// conversationSubjectKey is the subject key a new conversation is stored
// with (conversations.subject_key): what the threader's subject rule seeks.
func conversationSubjectKey(subject string) string {
	return inbox.SubjectKey(subject)
}
