package search

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
)

// The prose each page stores for its snippets is most of what the index
// holds. bleve compresses stored fields with snappy, which is fast but
// leaves English text at about half its size; flate leaves it nearer two
// fifths, and a results page unpacks only the twenty hits it shows.

// packText compresses text for storing; unpackText undoes it.
func packText(text string) string {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression) // the level is valid
	io.WriteString(w, text)
	w.Close()
	return b.String()
}

// unpackText returns the text packText packed, or "" if packed is not
// flate data (an index is only read by the kb that wrote its format).
func unpackText(packed string) string {
	var b strings.Builder
	if _, err := io.Copy(&b, flate.NewReader(strings.NewReader(packed))); err != nil {
		return ""
	}
	return b.String()
}
