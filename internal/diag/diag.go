// Package diag carries the errors a contributor has to fix, each with the file,
// line and column it comes from, so that every message reads "path:line:col: message".
package diag

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a source file. Line and Col count from 1; Col counts
// characters, not bytes, so that editors jump to the right place.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one problem found in the content.
type Diagnostic struct {
	Pos
	// Msg is the message; empty when text makes it (see AddText), so read
	// it with Message.
	Msg  string
	text Text
}

// Text makes a diagnostic's message when it is read, from values small
// beside the sentence: a large site can have tens of thousands of warnings
// (pages sharing a title), every one printed but none needed as text until
// then. A Text must be comparable, and equal when its message is, as lists
// of diagnostics are compared with ==.
type Text interface {
	Text() string
}

// Message is the diagnostic's message.
func (d Diagnostic) Message() string {
	if d.text != nil {
		return d.text.Text()
	}
	return d.Msg
}

func (d Diagnostic) Error() string { return d.Pos.String() + ": " + d.Message() }

// List gathers every problem of a build, so that all are reported at once.
type List []Diagnostic

// Addf records a problem at pos.
func (l *List) Addf(pos Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// AddText records a problem at pos whose message t makes when it is read.
func (l *List) AddText(pos Pos, t Text) {
	*l = append(*l, Diagnostic{Pos: pos, text: t})
}

// Append adds all of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Sort orders the problems by file, then position, and drops exact repeats.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Message() < b.Message()
	})
}

func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// LineCol turns a byte offset in src into a 1-based line and column. goldmark
// works in byte offsets; contributors think in lines and characters.
func LineCol(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	if offset < 0 {
		offset = 0
	}
	before := src[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = utf8.RuneCount(before[start:]) + 1
	return line, col
}

// At returns the position of a byte offset in a file's source.
func At(file string, src []byte, offset int) Pos {
	line, col := LineCol(src, offset)
	return Pos{File: file, Line: line, Col: col}
}
