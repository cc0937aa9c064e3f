package htmlcheck

import (
	"strings"
	"testing"
)

func TestPageFindsEachRule(t *testing.T) {
	page := `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>
<header role="banner"></header>
<main><h1>Title</h1><h3>Skipped</h3><h2 id="a">A</h2><p id="a">again</p>
<a href="#nope">bad anchor</a><a href="#a">good</a><label for="missing">x</label>
<div aria-labelledby="gone"></div><div aria-label="x"></div>
<ul><p>not an item</p><li>item</li></ul><a href="/x"><button>nested</button></a>
</main><h1>Second</h1></body></html>`
	probs, err := Page("p.html", strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	want := []string{
		`p.html: the "banner" role is unnecessary for element <header>`,
		`p.html: heading <h3> "Skipped" comes after <h1>: heading levels must not skip`,
		`p.html: duplicate id "a"`,
		`p.html: aria-label on a <div> without a role`,
		`p.html: <p> is not allowed as a child of <ul>`,
		`p.html: <button> inside a link or button: interactive elements must not nest`,
		`p.html: href refers to id "nope", which is not on the page`,
		`p.html: label for refers to id "missing", which is not on the page`,
		`p.html: aria-labelledby refers to id "gone", which is not on the page`,
		`p.html: the page has 2 <h1> headings: it needs exactly one`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
