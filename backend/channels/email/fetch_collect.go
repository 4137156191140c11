package email

import (
	"io"

	"github.com/emersion/go-imap/v2/imapclient"
)

// maxPresized bounds the literal size collectFetch trusts for one
// allocation; a larger claim is read growing as it arrives.
const maxPresized = 64 << 20

// collectFetch is FetchCommand.Collect for whole-message fetches: a body
// section literal is read into one buffer of its announced size (RFC 9051
// section 4.3) instead of io.ReadAll's doubling copies, which cleared and
// copied each message's bytes several times over.
func collectFetch(cmd *imapclient.FetchCommand) ([]*imapclient.FetchMessageBuffer, error) {
	defer cmd.Close()
	var out []*imapclient.FetchMessageBuffer
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		buf := &imapclient.FetchMessageBuffer{SeqNum: msg.SeqNum}
		for {
			item := msg.Next()
			if item == nil {
				break
			}
			if err := collectItem(buf, item); err != nil {
				return out, err
			}
		}
		out = append(out, buf)
	}
	return out, cmd.Close()
}

// collectItem adds one item to buf.
func collectItem(buf *imapclient.FetchMessageBuffer, item imapclient.FetchItemData) error {
	switch item := item.(type) {
	case imapclient.FetchItemDataBodySection:
		var b []byte
		if item.Literal != nil {
			var err error
			if b, err = readLiteral(item.Literal); err != nil {
				return err
			}
		}
		buf.BodySection = append(buf.BodySection, imapclient.FetchBodySectionBuffer{Section: item.Section, Bytes: b})
	case imapclient.FetchItemDataBinarySection:
		var b []byte
		if item.Literal != nil {
			var err error
			if b, err = readLiteral(item.Literal); err != nil {
				return err
			}
		}
		buf.BinarySection = append(buf.BinarySection, imapclient.FetchBinarySectionBuffer{Section: item.Section, Bytes: b})
	case imapclient.FetchItemDataFlags:
		buf.Flags = item.Flags
	case imapclient.FetchItemDataEnvelope:
		buf.Envelope = item.Envelope
	case imapclient.FetchItemDataInternalDate:
		buf.InternalDate = item.Time
	case imapclient.FetchItemDataRFC822Size:
		buf.RFC822Size = item.Size
	case imapclient.FetchItemDataUID:
		buf.UID = item.UID
	case imapclient.FetchItemDataBodyStructure:
		buf.BodyStructure = item.BodyStructure
	case imapclient.FetchItemDataBinarySectionSize:
		buf.BinarySectionSize = append(buf.BinarySectionSize, item)
	case imapclient.FetchItemDataModSeq:
		buf.ModSeq = item.ModSeq
	}
	return nil
}

// readLiteral reads a literal whole.
func readLiteral(l interface {
	io.Reader
	Size() int64
}) ([]byte, error) {
	n := l.Size()
	if n < 0 || n > maxPresized {
		return io.ReadAll(l)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(l, b); err != nil {
		return nil, err
	}
	return b, nil
}
