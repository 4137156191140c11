package email

import (
	"bytes"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// charsetAliases maps labels seen in real mail that the WHATWG and IANA
// tables miss, or map less usefully, to an encoding.
var charsetAliases = map[string]encoding.Encoding{
	// Microsoft's Shift_JIS (code page 932) is what Japanese Windows mail
	// means by every one of these; x/text's ShiftJIS is the WHATWG decoder,
	// which covers the cp932 extensions.
	"cp932":          japanese.ShiftJIS,
	"ms932":          japanese.ShiftJIS,
	"windows-31j":    japanese.ShiftJIS,
	"x-sjis":         japanese.ShiftJIS,
	"sjis":           japanese.ShiftJIS,
	"shift-jis":      japanese.ShiftJIS,
	"shift_jis":      japanese.ShiftJIS,
	"x-ms-cp932":     japanese.ShiftJIS,
	"ms_kanji":       japanese.ShiftJIS,
	"iso-2022-jp":    japanese.ISO2022JP,
	"iso-2022-jp-1":  japanese.ISO2022JP,
	"iso-2022-jp-2":  japanese.ISO2022JP,
	"iso-2022-jp-3":  japanese.ISO2022JP,
	"csiso2022jp":    japanese.ISO2022JP,
	"euc-jp":         japanese.EUCJP,
	"x-euc-jp":       japanese.EUCJP,
	"gb2312":         simplifiedchinese.GBK,
	"x-gbk":          simplifiedchinese.GBK,
	"cp936":          simplifiedchinese.GBK,
	"gb18030":        simplifiedchinese.GB18030,
	"hz-gb-2312":     simplifiedchinese.HZGB2312,
	"big5":           traditionalchinese.Big5,
	"big5-hkscs":     traditionalchinese.Big5,
	"cp950":          traditionalchinese.Big5,
	"ks_c_5601-1987": korean.EUCKR,
	"ks_c_5601":      korean.EUCKR,
	"cp949":          korean.EUCKR,
	"euc-kr":         korean.EUCKR,
	// Latin-1 labels decode as windows-1252, as browsers do: mail labelled
	// ISO-8859-1 routinely carries curly quotes in 0x80-0x9f.
	"iso-8859-1":        charmap.Windows1252,
	"latin1":            charmap.Windows1252,
	"latin-1":           charmap.Windows1252,
	"iso8859-1":         charmap.Windows1252,
	"iso_8859-1":        charmap.Windows1252,
	"cp1252":            charmap.Windows1252,
	"ansi_x3.4-1968":    nil, // ASCII: handled as UTF-8
	"us-ascii":          nil,
	"ascii":             nil,
	"utf-8":             nil,
	"utf8":              nil,
	"unicode-1-1-utf-8": nil,
	"x-unknown":         nil,
	"unknown-8bit":      nil,
	"default":           nil,
	"utf-16":            unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
	"utf-16le":          unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
	"utf-16be":          unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
}

// lookupCharset finds the encoding for a label. known is false for labels no
// table knows; enc is nil for UTF-8 and ASCII.
func lookupCharset(label string) (enc encoding.Encoding, known bool) {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if l == "" {
		return nil, true
	}
	if e, ok := charsetAliases[l]; ok {
		return e, true
	}
	if e, err := htmlindex.Get(l); err == nil && e != nil {
		if e == unicode.UTF8 {
			return nil, true
		}
		return e, true
	}
	if e, err := ianaindex.MIME.Encoding(l); err == nil && e != nil {
		return e, true
	}
	// "windows-1252" spelled "cp-1252", "win-1251", "iso8859_15", ...
	alt := strings.NewReplacer("_", "-", "win-", "windows-", "cp-", "windows-", "iso8859", "iso-8859").Replace(l)
	if alt != l {
		return lookupCharset(alt)
	}
	return nil, false
}

// decodeCharset turns b, labelled with charset label, into UTF-8. guessed is
// true when the label was unknown or wrong and the text was decoded by best
// effort: kept as UTF-8 when it is valid, read as ISO-2022-JP when it has
// that encoding's escapes, else as windows-1252 (which maps every byte).
func decodeCharset(label string, b []byte) (text string, guessed bool) {
	enc, known := lookupCharset(label)
	if known && enc == nil {
		if utf8.Valid(b) {
			return string(b), false
		}
		// Labelled UTF-8 or ASCII (or unlabelled) but is not: 8-bit text
		// from a client that did not say, most often windows-1252.
		return bestEffort(b), true
	}
	if known {
		out, err := enc.NewDecoder().Bytes(b)
		if err == nil {
			return string(out), false
		}
		// A decoder that cannot go on (ISO-2022-JP with a bad escape):
		// keep what it can, byte by byte.
		r := enc.NewDecoder().Reader(bytes.NewReader(b))
		out, _ = io.ReadAll(r)
		if len(out) > 0 {
			return strings.ToValidUTF8(string(out), "\uFFFD"), true
		}
		return bestEffort(b), true
	}
	if utf8.Valid(b) {
		return string(b), true
	}
	return bestEffort(b), true
}

// bestEffort decodes bytes of unknown encoding.
func bestEffort(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if bytes.Contains(b, []byte("\x1b$B")) || bytes.Contains(b, []byte("\x1b$@")) {
		if out, err := japanese.ISO2022JP.NewDecoder().Bytes(b); err == nil {
			return string(out)
		}
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return string(out)
}

// charsetReader is the mime.WordDecoder hook for RFC 2047 encoded words. It
// never fails: an unknown charset is decoded by best effort and noted.
func (p *parser) charsetReader(label string, input io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(input, maxHeaderBytes))
	if err != nil {
		return nil, err
	}
	s, guessed := decodeCharset(label, b)
	if guessed {
		p.guessed(label)
	}
	return strings.NewReader(s), nil
}

// wordDecoder decodes RFC 2047 words in IMAP envelopes by best effort.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, input io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(input, maxHeaderBytes))
	if err != nil {
		return nil, err
	}
	s, _ := decodeCharset(label, b)
	return strings.NewReader(s), nil
}}
