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
