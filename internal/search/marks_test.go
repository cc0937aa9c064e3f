package search

import (
	"testing"

	"github.com/nhsx/kb/internal/search/analysis"
)

// Snippets keep the marks of whole query terms and of phrases that stand
// together, and lose those of words that are only part of a phrase or of a
// vocabulary term's alternative where they stand alone.
func TestUnmarkStray(t *testing.T) {
	syn, err := analysis.ParseSynonyms("epr, electronic patient record, electronic health record\ncamhs, child and adolescent mental health services\n", "synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	x := &Index{mapping: newMapping(), synonyms: syn}
	for _, c := range []struct{ q, in, want string }{
		{"EPR",
			"an <mark>electronic</mark> <mark>patient</mark> <mark>record</mark> (<mark>EPR</mark>) for <mark>health</mark> IT",
			"an <mark>electronic</mark> <mark>patient</mark> <mark>record</mark> (<mark>EPR</mark>) for health IT"},
		{"EPR", "ahead of an <mark>EPR</mark> <mark>Patient</mark> online", "ahead of an <mark>EPR</mark> Patient online"},
		{"CAMHS", "<mark>child</mark> and <mark>adolescent</mark> <mark>mental</mark> <mark>health</mark> <mark>services</mark>",
			"<mark>child</mark> and <mark>adolescent</mark> <mark>mental</mark> <mark>health</mark> <mark>services</mark>"},
		{`"remote monitoring" health`, "<mark>remote</mark> teams and <mark>monitoring</mark> of <mark>health</mark>",
			"remote teams and monitoring of <mark>health</mark>"},
		{"records", "<mark>records</mark> &amp; more", "<mark>records</mark> &amp; more"},
		{"EPR", "no marks &lt;here&gt;", "no marks &lt;here&gt;"},
	} {
		if got := x.unmarkStray(c.in, x.partOnly(c.q)); got != c.want {
			t.Errorf("%s: %q\n got %q\nwant %q", c.q, c.in, got, c.want)
		}
	}
}
