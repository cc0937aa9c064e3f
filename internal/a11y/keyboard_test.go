package a11y

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused describes the element that has the keyboard focus.
const focused = `(() => { const a = document.activeElement;
	return a ? [a.tagName.toLowerCase(), a.id, a.name || '', a.value || '', a.closest('#search-filters') ? 'filter' : ''] : [] })()`

// tabTo presses Tab until the focused element satisfies want, at most limit
// times, and returns how many presses it took.
func tabTo(t *testing.T, ctx context.Context, limit int, want func(el []string) bool) (int, []string) {
	t.Helper()
	for n := 1; n <= limit; n++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		el, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](focused))
		if err != nil {
			t.Fatal(err)
		}
		if len(el) == 5 && want(el) {
			return n, el
		}
	}
	t.Fatalf("%d presses of Tab did not reach the element", limit)
	return 0, nil
}

// waitFor polls a JavaScript condition until it is true or a few seconds pass.
func waitFor(t *testing.T, ctx context.Context, cond, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestKeyboardUsesSearchFilters: from the top of a results page, Tab alone
// reaches the first filter, Space ticks it, the results update, and the focus
// stays on the filter so a keyboard user does not lose their place.
func TestKeyboardUsesSearchFilters(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/search/?q=digital")); err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#search-status")))
	if err != nil {
		t.Fatal(err)
	}
	presses, el := tabTo(t, ctx, 60, func(el []string) bool { return el[4] == "filter" && el[0] == "input" })
	t.Logf("the first filter (%s=%s) is %d presses of Tab from the top", el[2], el[3], presses)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(" ")); err != nil {
		t.Fatal(err)
	}
	param := el[2] + "=" + el[3]
	waitFor(t, ctx, `location.search.includes(`+jsString(param)+`)`, "the filter to reach the address")
	waitFor(t, ctx, `document.getElementById('search-status').textContent !== `+jsString(before), "the results to update")
	after, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](focused))
	if err != nil {
		t.Fatal(err)
	}
	if after[1] != el[1] {
		t.Errorf("focus moved from the filter %s to %v after the results updated", el[1], after)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById(`+jsString(el[1])+`).checked`))
	if err != nil || !checked {
		t.Errorf("the filter is not ticked after Space (err %v)", err)
	}
	// With JavaScript the filters apply as they change, so Apply filters is
	// hidden; TestWorksWithoutJavaScript uses it.
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// noScript turns JavaScript off in the tab.
func noScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// TestWorksWithoutJavaScript: with scripts off, pages show their content and
// navigation, and the search form submits and filters as a plain form.
func TestWorksWithoutJavaScript(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	if err := chromedp.Do(ctx, noScript()); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", e.model.Site.Items[0].URL, "/guides/", "/measures/"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+path)); err != nil {
			t.Fatal(err)
		}
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.body.classList.contains('js-enabled') &&
			document.querySelectorAll('h1').length === 1 && document.querySelector('main').innerText.trim().length > 100 &&
			document.querySelectorAll('header a[href="/guides/"], nav a[href="/guides/"]').length > 0 &&
			document.querySelectorAll('footer a').length > 0`))
		if err != nil || !ok {
			t.Errorf("%s: without JavaScript, the page lacks its heading, content, navigation or footer (err %v)", path, err)
		}
	}
	searchWithoutScript(t, ctx, e.url)
}

// searchWithoutScript types a query, submits with Enter, ticks a filter and
// applies it, each a full page load.
func searchWithoutScript(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/"), chromedp.SendKeys(chromedp.ID("search-query"), "digital")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("submitting the search form: %v", err)
	}
	waitFor(t, ctx, `document.readyState === 'complete'`, "the results page")
	where, _ := chromedp.Run(ctx, chromedp.Location())
	t.Logf("submitted to %s", where)
	waitFor(t, ctx, `new URLSearchParams(location.search).get('q') === 'digital' && document.querySelectorAll('.kb-result').length > 0`, "results for digital")
	first, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const c = document.querySelector('#search-filters input[type=checkbox]'); return [c.name, c.value] })()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#search-filters input[type=checkbox]"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".kb-search__apply"))); err != nil {
		t.Fatalf("applying filters: %v", err)
	}
	param := first[0] + "=" + first[1]
	waitFor(t, ctx, `location.search.includes(`+jsString(param)+`) && document.querySelectorAll('.kb-result').length > 0`, "filtered results")
}
