package inbox

import "errors"

// Sentinel errors shared by every layer. Callers test them with errors.Is.
var (
	// ErrNotFound is returned when a record asked for by ID does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid is returned when a value breaks a domain rule.
	ErrInvalid = errors.New("invalid")
	// ErrConflict is returned when a change collides with existing data.
	ErrConflict = errors.New("conflict")
	// ErrNotAvailable is returned by features that this build does not offer yet.
	ErrNotAvailable = errors.New("not available yet")
)
