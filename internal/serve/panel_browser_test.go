package serve

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The error panel in a real browser: it takes focus when it opens, keeps
// it (and is not announced again) through rebuilds with the same problems,
// closes with Escape or Hide and stays closed for those problems, opens for
// new ones, and gives focus back to what had it whenever it closes,
// including when the fix clears it.
func TestBrowserErrorPanelFocus(t *testing.T) {
	ctx := browser(t)
	ts := startServer(t, sampleSite())
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+"/guides/a/")); err != nil {
		t.Fatal(err)
	}
	ts.waitTabs(1)
	mustEval(t, ctx, `(() => {
		window.kbBefore = document.querySelector("header a")
		window.kbBefore.focus()
		window.kbOpened = 0
		new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => { if (n.id === "kb-overlay") window.kbOpened++ })))
			.observe(document.body, {childList: true})
		return document.activeElement === window.kbBefore
	})()`)

	const oneProblem = "epr, electronic patient record\nlonely\n"
	const twoProblems = "epr, electronic patient record\nlonely\nalone\n"
	open := func(step string, opened int) {
		t.Helper()
		if err := waitFor(ctx, `!!document.getElementById("kb-overlay")`); err != nil {
			t.Fatalf("%s: no panel: %v", step, err)
		}
		if err := waitFor(ctx, `document.activeElement && document.activeElement.id === "kb-overlay-title"`); err != nil {
			t.Errorf("%s: focus is not on the panel's heading: %v", step, err)
		}
		mustEval(t, ctx, `document.activeElement.tabIndex === -1 && document.getElementById("kb-overlay").getAttribute("role") === "alertdialog"`)
		mustEval(t, ctx, `window.kbOpened === `+itoa(opened))
	}
	closed := func(step string) {
		t.Helper()
		if err := waitFor(ctx, `!document.getElementById("kb-overlay")`); err != nil {
			t.Fatalf("%s: the panel did not close: %v", step, err)
		}
		if err := waitFor(ctx, `document.activeElement === window.kbBefore`); err != nil {
			t.Errorf("%s: focus did not go back to the link that had it: %v", step, err)
		}
	}
	settle := func() { time.Sleep(time.Second) } // the event is in flight once the build is reported

	ts.write("synonyms.txt", oneProblem)
	ts.waitBuild()
	open("first problem", 1)
	mustEval(t, ctx, `(window.kbPanel = document.getElementById("kb-overlay"), true)`)

	ts.write("synonyms.txt", oneProblem) // saved again, still broken the same way
	ts.waitBuild()
	settle()
	mustEval(t, ctx, `window.kbPanel === document.getElementById("kb-overlay") && window.kbOpened === 1`)
	mustEval(t, ctx, `document.activeElement.id === "kb-overlay-title"`)

	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	closed("Escape")

	ts.write("synonyms.txt", oneProblem) // the problem the reader hid
	ts.waitBuild()
	settle()
	mustEval(t, ctx, `!document.getElementById("kb-overlay") && window.kbOpened === 1`)

	ts.write("synonyms.txt", twoProblems) // a new problem opens it again
	ts.waitBuild()
	open("new problems", 2)
	mustEval(t, ctx, `document.getElementById("kb-overlay-title").textContent === "kb found 2 problems"`)

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#kb-overlay button"))); err != nil {
		t.Fatal(err)
	}
	closed("Hide")

	ts.write("synonyms.txt", oneProblem)
	ts.waitBuild()
	open("problems again", 3)
	ts.write("synonyms.txt", "epr, electronic patient record\n")
	ts.waitBuild()
	closed("fixed")
}

// mustEval fails the test unless expr is true in the page.
func mustEval(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
	if err != nil || !ok {
		t.Errorf("in the page, %s is false (%v)", expr, err)
	}
}
