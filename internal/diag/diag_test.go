package diag

import "testing"

func TestLineColCountsCharactersNotBytes(t *testing.T) {
	src := []byte("first\nCafé – x\n")
	cases := []struct{ off, line, col int }{
		{0, 1, 1},
		{6, 2, 1},
		{bytesBefore(src, "x"), 2, 8},
		{len(src), 3, 1},
		{len(src) + 10, 3, 1},
		{-1, 1, 1},
	}
	for _, c := range cases {
		if l, col := LineCol(src, c.off); l != c.line || col != c.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
}

func bytesBefore(src []byte, s string) int {
	for i := range src {
		if string(src[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

func TestListSortsAndFormats(t *testing.T) {
	var l List
	l.Addf(Pos{File: "b.md", Line: 2, Col: 1}, "second %s", "file")
	l.Addf(Pos{File: "a.md", Line: 9, Col: 3}, "late")
	l.Addf(Pos{File: "a.md", Line: 1, Col: 1}, "early")
	l.Addf(Pos{File: "site.yaml"}, "no line")
	want := "a.md:1:1: early\na.md:9:3: late\nb.md:2:1: second file\nsite.yaml: no line"
	if err := l.Err(); err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	if (List{}).Err() != nil {
		t.Error("an empty list is not an error")
	}
}

// count is a message made when read: a warning held as a number.
type count struct{ n int }

func (c count) Text() string { return "seen " + string(rune('0'+c.n)) + " times" }

// A message made when read prints and sorts as the same message given as
// text, and two lists holding equal ones are equal.
func TestTextIsMadeWhenRead(t *testing.T) {
	var l List
	l.AddText(Pos{File: "a.md", Line: 1, Col: 1}, count{3})
	l.Addf(Pos{File: "a.md", Line: 1, Col: 1}, "seen 2 times")
	l.Sort()
	if got, want := l.Error(), "a.md:1:1: seen 2 times\na.md:1:1: seen 3 times"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if l[1].Message() != "seen 3 times" || l[1].Msg != "" {
		t.Errorf("message %q, held as %q", l[1].Message(), l[1].Msg)
	}
	var m List
	m.AddText(Pos{File: "a.md", Line: 1, Col: 1}, count{3})
	if l[1] != m[0] {
		t.Error("two diagnostics with equal texts differ")
	}
}
