package markdown

import (
	"bytes"
	"reflect"
	"testing"
)

// frontMatterCases are sources whose front matter goldmark-meta reads
// without error, with the shapes its block parser treats specially.
var frontMatterCases = []string{
	"---\ntitle: T\nsummary: S\n---\n## Risks\n\nText with [a link](x.md).\n",
	"---\ntitle: T\n---\n",
	"---\n---\nBody right after an empty front matter.\n",
	"--- \ntitle: T\n  ---  \nIndented closing dashes.\n",
	"---\ntitle: T\n-----\nLonger closing dashes.\n\n---\n\nA thematic break above.\n",
	"---\ntitle: T\n\n---\nA blank line inside.\n",
	"---\ntitle: T\nnever closed, all of it YAML: true\n",
	"No front matter.\n\n---\n\n- a list\n- - -\n",
	"- - -\nA thematic break first.\n",
	"Setext heading\n---\n\ntext\n",
	"---\ntitle: \"T\"\ntopics: [a, b]\n---\n# Heading {#custom}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: note\n",
}

// TestBodyParseMatchesParse checks that the render's parse, which skips
// the front matter rather than decoding it, gives the tree the first parse
// gives: the same HTML, headings, links, anchors and search text.
func TestBodyParseMatchesParse(t *testing.T) {
	c := New()
	for _, src := range frontMatterCases {
		d := c.Parse([]byte(src))
		if d.MetaErr != nil {
			t.Fatalf("%q: front matter not valid: %v", src, d.MetaErr)
		}
		sameDoc(t, c, d, c.parseBody([]byte(src)))
	}
}

// TestWholeSkipsValidFrontMatterOnly checks that a Doc of facts is read
// again without decoding its front matter only when its first parse found
// the front matter valid, and with it otherwise.
func TestWholeSkipsValidFrontMatterOnly(t *testing.T) {
	c := New()
	for _, src := range []string{"---\ntitle: T\n---\nBody.\n", "---\ntitle: [T\n---\nBody.\n"} {
		first := c.Parse([]byte(src))
		w, err := first.Facts(LoaderFunc(func() ([]byte, error) { return []byte(src), nil })).Whole()
		if err != nil {
			t.Fatal(err)
		}
		if (w.MetaErr != nil) != (first.MetaErr != nil) {
			t.Errorf("%q: MetaErr %v again, %v first", src, w.MetaErr, first.MetaErr)
		}
		sameDoc(t, c, first, w)
	}
}

func sameDoc(t *testing.T, c *Converter, want, got *Doc) {
	t.Helper()
	wh, werr := c.Render(want, nil)
	gh, gerr := c.Render(got, nil)
	if werr != nil || gerr != nil || !bytes.Equal(wh, gh) {
		t.Errorf("%q: HTML\n%s (%v)\nwant\n%s (%v)", want.Source, gh, gerr, wh, werr)
	}
	if !reflect.DeepEqual(got.Headings(), want.Headings()) || !reflect.DeepEqual(got.Links(), want.Links()) ||
		!reflect.DeepEqual(got.IDs(), want.IDs()) || !reflect.DeepEqual(got.Renamed, want.Renamed) {
		t.Errorf("%q: facts differ: %+v %+v %v, want %+v %+v %v", want.Source, got.Headings(), got.Links(), got.IDs(), want.Headings(), want.Links(), want.IDs())
	}
	gt, gp := got.SearchText()
	wt, wp := want.SearchText()
	if gt != wt || gp != wp {
		t.Errorf("%q: search text %q (%d), want %q (%d)", want.Source, gt, gp, wt, wp)
	}
}

// FuzzBodyParse checks the same of any source Check accepts whose front
// matter is valid.
func FuzzBodyParse(f *testing.F) {
	for _, s := range frontMatterCases {
		f.Add([]byte(s))
	}
	c := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		if Check(src) != nil {
			return
		}
		d := c.Parse(src)
		if d.MetaErr != nil {
			return
		}
		sameDoc(t, c, d, c.parseBody(src))
	})
}

// badFrontMatterCases are front matters goldmark-meta cannot decode, or
// decodes as items but not as a map (a key that is not a string, a key
// given twice), each with a body after it.
var badFrontMatterCases = []string{
	"---\ntitle: \"T\n---\nAn unclosed quote.\n",
	"---\ntitle: T\n\tsummary: S\n---\nA tab.\n",
	"---\ntitle: a: b\n---\nA colon in a value.\n",
	"---\n- a\n- b\n---\nA list, not fields.\n",
	"---\n1: one\ntitle: T\n---\nA number as a key.\n",
	"---\ntitle: T\ntitle: U\n---\nA key twice.\n",
	"---\njust text\n---\nA scalar.\n",
	"---\ntopics: [a, b\n---\n[A link](x.md) after.\n",
	"---\ntitle: see [x](y.md) *now*\nsummary: [\n---\n## Heading\n",
}

// TestDecodeFrontMatterMatchesMeta checks the first pass's front matter
// block (decodeFrontMatter) against goldmark-meta's on valid and broken
// front matter.
func TestDecodeFrontMatterMatchesMeta(t *testing.T) {
	meta, ours := New(), decodingConverter()
	for _, src := range append(append([]string{}, frontMatterCases...), badFrontMatterCases...) {
		sameDecoding(t, meta, meta.Parse([]byte(src)), ours.Parse([]byte(src)))
	}
	if d := ours.Parse([]byte(badFrontMatterCases[0])); d.MetaErr == nil {
		t.Errorf("an unclosed quote decoded without error: %v", d.Meta)
	}
}

// FuzzDecodeFrontMatterMatchesMeta checks the same of any source Check
// accepts.
func FuzzDecodeFrontMatterMatchesMeta(f *testing.F) {
	for _, s := range append(append([]string{}, frontMatterCases...), badFrontMatterCases...) {
		f.Add([]byte(s))
	}
	meta, ours := New(), decodingConverter()
	f.Fuzz(func(t *testing.T, src []byte) {
		if Check(src) != nil {
			return
		}
		sameDecoding(t, meta, meta.Parse(src), ours.Parse(src))
	})
}

// decodingConverter is a Converter whose Parse reads front matter with
// decodeFrontMatter instead of goldmark-meta.
func decodingConverter() *Converter {
	c := New()
	c.md = newGoldmark(decodeFrontMatter{})
	return c
}

// sameDecoding checks that got has want's front matter, error and tree.
func sameDecoding(t *testing.T, c *Converter, want, got *Doc) {
	t.Helper()
	if !reflect.DeepEqual(got.Meta, want.Meta) || errText(got.MetaErr) != errText(want.MetaErr) {
		t.Errorf("%q: front matter %#v (%v), want %#v (%v)", want.Source, got.Meta, got.MetaErr, want.Meta, want.MetaErr)
	}
	sameDoc(t, c, want, got)
}
