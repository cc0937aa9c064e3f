package markdown

import (
	"bytes"
	"strings"
)

// RawLink is something written as a link that Markdown left as text, such as
// [DTAC](../standards/dtac.md#who owns it): a destination with a space in it,
// or one never closed, is not a link, and goldmark publishes the brackets as
// they are without a word. kb finds the "](" left in the text.
type RawLink struct {
	Offset int    // byte offset of the opening [ in the source
	Text   string // what stands between [ and ]
	Dest   string // what stands between ( and ) (or the end of the line)
	Closed bool   // whether a ) ends it on the same line
}

// RawLinks lists the links left as text, in the order they appear.
func (d *Doc) RawLinks() []RawLink {
	if d.walks == nil {
		return d.facts.rawList()
	}
	d.Links()
	return d.walks.raw
}

// rawLinksIn finds "](" in the source text between start and stop (and the
// character after stop, where the "(" may begin the next text node).
func rawLinksIn(src []byte, start, stop int) []RawLink {
	var out []RawLink
	end := min(stop+1, len(src))
	for i := start; i < end-1; i++ {
		if src[i] != ']' || src[i+1] != '(' {
			continue
		}
		open := openingBracket(src, i)
		if open < 0 {
			continue
		}
		lineEnd := bytes.IndexByte(src[i:], '\n')
		if lineEnd < 0 {
			lineEnd = len(src) - i
		}
		rest := string(src[i+2 : i+lineEnd])
		dest, _, closed := strings.Cut(rest, ")")
		out = append(out, RawLink{Offset: open, Text: string(src[open+1 : i]), Dest: strings.TrimSpace(dest), Closed: closed})
	}
	return out
}

// openingBracket finds the [ that the ] at close ends, on the same line; -1
// when there is none.
func openingBracket(src []byte, close int) int {
	depth := 0
	for i := close - 1; i >= 0 && src[i] != '\n'; i-- {
		switch src[i] {
		case ']':
			depth++
		case '[':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}
