package search

import (
	"strings"
	"testing"
)

// A snippet of a long sentence is cut at words on both sides, with an
// ellipsis at each cut; short sentences of one block are shown together,
// and the block before or after never is.
func TestSnippetCutsAtWords(t *testing.T) {
	x := &Index{mapping: newMapping()}
	long := strings.Repeat("alpha beta gamma delta ", 10) + "the portal opens " + strings.Repeat("epsilon zeta eta theta ", 10)
	text := "Heading about portals\n" + long + "\nAnother block. It mentions nothing.\n"
	got := x.snippet(text, map[string]bool{"portal": true})
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "the <mark>portal</mark> opens") {
		t.Errorf("snippet = %q", got)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(got, "…"), "…")
	for _, w := range []string{strings.Fields(inner)[0], strings.Fields(inner)[len(strings.Fields(inner))-1]} {
		if !strings.Contains(long, " "+w+" ") {
			t.Errorf("snippet %q starts or ends inside a word (%q)", got, w)
		}
	}
	if n := len([]rune(inner)); n > snippetLen+20 {
		t.Errorf("snippet is %d characters long", n)
	}
	got = x.snippet("First block ends here\nShort one. A portal here. And more.\nNext block.", map[string]bool{"portal": true})
	if want := "Short one. A <mark>portal</mark> here. And more."; got != want {
		t.Errorf("snippet = %q, want %q", got, want)
	}
	if got := x.snippet("nothing to see", map[string]bool{"portal": true}); got != "" {
		t.Errorf("snippet without the word = %q", got)
	}
}

// BenchmarkSnippet makes the snippet of a page of average length (about
// 8 KB of prose), as each hit shown does.
func BenchmarkSnippet(b *testing.B) {
	x := &Index{mapping: newMapping()}
	var sb strings.Builder
	for i := 0; sb.Len() < 8000; i++ {
		sb.WriteString("Integrating electronic records across trusts needs a clear data platform and staff who can use it. ")
		if i%5 == 4 {
			sb.WriteString("\nHeading number\n")
		}
	}
	text := sb.String() + "The patient portal went live in March.\n"
	terms := map[string]bool{"portal": true}
	for b.Loop() {
		x.snippet(text, terms)
	}
}
