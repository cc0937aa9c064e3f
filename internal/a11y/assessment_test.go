package a11y

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/nhsx/kb/internal/assess"
)

// snapshot is what a reader gets from a results page: the title, the
// address, the text as shown, and every element of main with its attributes.
const snapshot = `(() => { const m = document.querySelector('main');
	const els = [...m.querySelectorAll('*')].map(e => e.tagName.toLowerCase() + ' ' +
		[...e.attributes].map(a => a.name + '=' + JSON.stringify(a.value)).sort().join(' '));
	return [document.title, location.pathname + location.search, m.innerText].concat(els) })()`

// grabCSV clicks the CSV link and returns what the page offers to save:
// the blob the script makes (the server's file is not asked for).
const grabCSV = `new Promise((done, fail) => {
	const make = URL.createObjectURL;
	URL.createObjectURL = blob => { URL.createObjectURL = make; blob.text().then(done, fail); return make.call(URL, blob) };
	document.querySelector('a[download]').click();
	setTimeout(() => fail(new Error('no CSV was made in the page')), 5000) })`

// answerSet is one way of filling in a form: the value chosen for each
// statement, "" for none.
type answerSet struct {
	name   string
	values func(i int) string
}

var answerSets = []answerSet{
	{"all don't know", func(int) string { return "dk" }},
	{"all fully in place", func(int) string { return "3" }},
	{"all not started", func(int) string { return "0" }},
	{"none answered", func(int) string { return "" }},
	{"each answer in turn", func(i int) string { return []string{"0", "1", "2", "3", "dk"}[i%5] }},
	{"some left out", func(i int) string { return []string{"2", "", "1", "3", "", "dk", "0"}[i%7] }},
	{"mostly in place", func(i int) string { return []string{"3", "2", "3"}[i%3] }},
}

// choose ticks the radios of an answer set on the loaded form, as clicks do.
func choose(ids []string, set answerSet) string {
	var b strings.Builder
	for i, id := range ids {
		if v := set.values(i); v != "" {
			fmt.Fprintf(&b, "document.querySelector('input[name=%s][value=\"%s\"]').click();\n", id, v)
		}
	}
	return b.String()
}

func statementIDs(audience string) func(e *env) []string {
	return func(e *env) []string {
		var ids []string
		for _, st := range e.model.Assessment.For(audience) {
			ids = append(ids, st.ID)
		}
		return ids
	}
}

// TestBrowserResultsEqualTheServers: with JavaScript on, submitting a form
// shows the results without asking the server, and they are the server's
// page for the same answers: same title, address, text and elements; the
// CSV link saves the server's CSV byte for byte, made in the page.
func TestBrowserResultsEqualTheServers(t *testing.T) {
	e := need(t)
	for _, a := range assess.Audiences {
		ids := statementIDs(a.Slug)(e)
		if len(ids) == 0 {
			t.Fatalf("no statements for %s", a.Slug)
		}
		for _, set := range answerSets {
			t.Run(a.Slug+"/"+set.name, func(t *testing.T) {
				ctx := e.tab(t)
				if err := chromedp.Do(ctx, watchCSP(), chromedp.Navigate(e.url+assess.FormURL(a.Slug))); err != nil {
					t.Fatal(err)
				}
				before := e.results.Load()
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](choose(ids, set)+"document.getElementById('answers').requestSubmit()")); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, `location.pathname === '`+assess.ResultsPath+`' && document.querySelector('main h1') !== null && document.activeElement === document.querySelector('main h1')`, "the results, with the focus on the heading")
				mine, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](snapshot))
				if err != nil {
					t.Fatal(err)
				}
				mineCSV, err := chromedp.Run(ctx, chromedp.Evaluate[string](grabCSV, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatal(err)
				}
				blocked, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__kbCSP`))
				if err != nil || len(blocked) > 0 {
					t.Errorf("the Content-Security-Policy blocked %q (err %v)", blocked, err)
				}
				if n := e.results.Load() - before; n != 0 {
					t.Errorf("the browser asked the server for results %d times", n)
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(e.url+mine[1])); err != nil {
					t.Fatal(err)
				}
				theirs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](snapshot))
				if err != nil {
					t.Fatal(err)
				}
				if e.results.Load() == before {
					t.Error("loading the address did not reach the server")
				}
				if !slices.Equal(mine, theirs) {
					t.Errorf("the browser's results differ from the server's:\n%s", diffLines(mine, theirs))
				}
				theirCSV, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('a[download]').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatal(err)
				}
				if mineCSV != theirCSV {
					t.Errorf("the browser's CSV differs from the server's:\n%s", diffLines(strings.Split(mineCSV, "\n"), strings.Split(theirCSV, "\n")))
				}
				wantQuery := "?audience=" + a.Slug
				for i, id := range ids {
					if v := set.values(i); v != "" {
						wantQuery += "&" + id + "=" + v
					}
				}
				if mine[1] != assess.ResultsPath+wantQuery {
					t.Errorf("address %s, want %s", mine[1], assess.ResultsPath+wantQuery)
				}
			})
		}
	}
}

// diffLines shows the first lines where two snapshots part.
func diffLines(mine, theirs []string) string {
	var b strings.Builder
	for i := 0; i < max(len(mine), len(theirs)); i++ {
		var m, s string
		if i < len(mine) {
			m = mine[i]
		}
		if i < len(theirs) {
			s = theirs[i]
		}
		if m != s {
			from := 0 // long lines (the page's text) are shown from where they part
			for from < min(len(m), len(s)) && m[from] == s[from] {
				from++
			}
			from = max(0, from-80)
			fmt.Fprintf(&b, "line %d, from byte %d\n  browser: %.240q\n  server:  %.240q\n", i, from, m[min(from, len(m)):], s[min(from, len(s)):])
			if b.Len() > 4000 {
				break
			}
		}
	}
	return b.String()
}

// TestBrowserResultsGoBackToTheForm: Back after the browser's results shows
// the form again with the answers as they were, and Forward the results.
func TestBrowserResultsGoBackToTheForm(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	ids := statementIDs("organisation")(e)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+assess.FormURL("organisation"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](choose(ids, answerSets[4])+"document.getElementById('answers').requestSubmit()")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `location.pathname === '`+assess.ResultsPath+`'`, "the results")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`history.back()`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `location.pathname === '`+assess.FormURL("organisation")+`' && document.getElementById('answers') !== null`, "the form again")
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name=`+ids[1]+`]:checked').value`))
	if err != nil || kept != answerSets[4].values(1) {
		t.Errorf("after Back, %s is %q (err %v), want %q", ids[1], kept, err, answerSets[4].values(1))
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`history.forward()`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `location.pathname === '`+assess.ResultsPath+`' && document.querySelector('.kb-assess__result') !== null`, "the results again")
}

// desktop sets the tab to a 1280 px wide screen.
func desktop() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1280, Height: 900, DeviceScaleFactor: 1})
		return err
	})
}

// TestAxeSelfAssessmentAtTwoWidths: the index, a form, a form with errors,
// the server's results and the browser's results pass axe at 390 and 1280
// px, and nothing on them is wider than the screen.
func TestAxeSelfAssessmentAtTwoWidths(t *testing.T) {
	e := need(t)
	ids := statementIDs("organisation")(e)
	results := assess.ResultsPath + "?audience=organisation&" + ids[0] + "=0&" + ids[1] + "=2&" + ids[len(ids)-1] + "=dk"
	pages := []struct{ name, path, then string }{
		{"index", assess.IndexPath, ""},
		{"form", assess.FormURL("organisation"), ""},
		{"form with errors", assess.ResultsPath + "?audience=organisation&" + ids[0] + "=7&ZZ1=1", ""},
		{"server results", results, ""},
		{"browser results", assess.FormURL("organisation"), choose(ids, answerSets[4]) + "document.getElementById('answers').requestSubmit()"},
	}
	for _, width := range []struct {
		name string
		set  chromedp.Action[chromedp.Void]
	}{{"390", phone()}, {"1280", desktop()}} {
		for _, p := range pages {
			t.Run(width.name+"/"+p.name, func(t *testing.T) {
				ctx := e.tab(t)
				if err := chromedp.Do(ctx, width.set, chromedp.Navigate(e.url+p.path)); err != nil {
					t.Fatal(err)
				}
				if p.then != "" {
					if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](p.then)); err != nil {
						t.Fatal(err)
					}
					waitFor(t, ctx, `document.querySelector('.kb-assess__result') !== null`, "the browser's results")
				}
				vs, err := Axe(ctx, e.axe)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range vs {
					t.Errorf("%s: %s", p.name, v)
				}
				wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main *')].filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map(el => el.outerHTML.slice(0, 120))`))
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range wide {
					t.Errorf("%s: wider than the screen: %s", p.name, w)
				}
			})
		}
	}
}

// printMedia makes the tab lay pages out as for printing.
func printMedia() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
}

// TestResultsPrint: printed, the results keep the answers and the
// recommendations with their addresses written out, and drop the site's
// header, footer, breadcrumbs and the page's own links to act on.
func TestResultsPrint(t *testing.T) {
	e := need(t)
	ids := statementIDs("organisation")(e)
	ctx := e.tab(t)
	if err := chromedp.Do(ctx, printMedia(), chromedp.Navigate(e.url+assess.ResultsPath+"?audience=organisation&"+ids[0]+"=0")); err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`['.nhsuk-header', '.nhsuk-footer', '.nhsuk-breadcrumb', '.kb-assess__actions']
		.filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== 'none')`))
	if err != nil {
		t.Fatal(err)
	}
	if len(hidden) > 0 {
		t.Errorf("printed, these still show: %q", hidden)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[
		getComputedStyle(document.querySelector('.kb-assess__recs a'), '::after').content,
		document.querySelector('.kb-assess__recs a').getAttribute('href'),
		getComputedStyle(document.querySelector('.kb-assess__summary a'), '::after').content,
		String(document.querySelectorAll('.kb-assess__result table').length)]`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `" (" attr(href) ")"`; got[0] != want && got[0] != `" (`+got[1]+`)"` {
		t.Errorf("a recommendation prints as %s, want its address written out", got[0])
	}
	if got[2] != "none" {
		t.Errorf("the summary's links to the page's own sections print %s, want nothing after them", got[2])
	}
	if got[3] == "0" {
		t.Error("printed, the results have no tables of answers")
	}
}

// TestBrowserResultsSendNoReferrer: a recommendation followed from the
// browser's results does not carry the answers along as the Referer, as
// none does from the server's results (Referrer-Policy: no-referrer).
func TestBrowserResultsSendNoReferrer(t *testing.T) {
	e := need(t)
	ids := statementIDs("organisation")(e)
	ctx := e.tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+assess.FormURL("organisation"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](choose(ids, answerSets[2])+"document.getElementById('answers').requestSubmit()")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector('.kb-assess__recs a') !== null`, "a recommendation")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".kb-assess__recs a"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `!location.pathname.startsWith('/self-assessment/') && document.readyState === 'complete'`, "the recommended item")
	ref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.referrer`))
	if err != nil {
		t.Fatal(err)
	}
	if ref != "" {
		t.Errorf("the item page was sent the Referer %q", ref)
	}
}
