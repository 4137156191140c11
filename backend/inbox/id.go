package inbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"
)

// ID prefixes make IDs readable in logs and scripts while staying opaque.
const (
	PrefixAccount      = "acc"
	PrefixContact      = "ct"
	PrefixIdentity     = "idn"
	PrefixConversation = "cv"
	PrefixMessage      = "msg"
	PrefixAttachment   = "att"
	PrefixLabel        = "lbl"
	PrefixNote         = "note"
	PrefixOutbox       = "out"
	PrefixSearch       = "ss"
	PrefixEvent        = "ev"
)

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a new opaque, unique ID with the given prefix. IDs sort by
// creation time (48-bit millisecond timestamp followed by 80 random bits), so
// newer records have greater IDs, but callers must not parse them.
func NewID(prefix string) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic("inbox: no randomness: " + err.Error())
	}
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// DerivedID returns a stable ID computed from parts: the same parts always
// give the same ID. Channels use it so that a message synced twice (after a
// crash, a reconnect or a UIDVALIDITY change) keeps one identity.
func DerivedID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	return prefix + "_" + idEncoding.EncodeToString(sum[:16])
}

// HasPrefix reports whether id was made with the given prefix.
func HasPrefix(id, prefix string) bool { return strings.HasPrefix(id, prefix+"_") }
