package a11y

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// phone makes the tab a 390 px wide phone screen.
func phone() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 1, Mobile: true})
		return err
	})
}

// TestResultsComeFirstOnAPhone: at 390 px, with or without JavaScript, the
// filters wait in a closed "Filter results" panel and the first result starts
// within the first two screens (it was 1,960 px down, below every filter);
// the panel opens with the keyboard and shows the filters.
func TestResultsComeFirstOnAPhone(t *testing.T) {
	e := need(t)
	for _, script := range []bool{true, false} {
		ctx := e.tab(t)
		if err := chromedp.Do(ctx, phone()); err != nil {
			t.Fatal(err)
		}
		if !script {
			if err := chromedp.Do(ctx, noScript()); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/search/?q=digital&measure=improve-care")); err != nil {
			t.Fatal(err)
		}
		top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('.kb-result').getBoundingClientRect().top + scrollY`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("script %v: the first result starts %.0f px down", script, top)
		if top > 1000 {
			t.Errorf("script %v: the first result starts %.0f px down on a phone", script, top)
		}
		state, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[document.getElementById('search-filter-panel').open,
			document.querySelector('#search-filters label').checkVisibility(),
			document.querySelector('#search-selected a.kb-selected__remove') !== null]`))
		if err != nil || len(state) != 3 || state[0] || state[1] || !state[2] {
			t.Errorf("script %v: [panel open, filters visible, selected filters shown] = %v, want [false false true] (err %v)", script, state, err)
		}
		// Open the panel from the keyboard: its summary, then Enter.
		if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#search-filter-panel > summary")), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `document.getElementById('search-filter-panel').open &&
			document.querySelector('#search-filters label').checkVisibility()`, "the filter panel to open")
	}
}

// TestLiveSearchShowsErrors: typing a query the search cannot read shows the
// error summary and the message by the box as you type, without a reload,
// and correcting it brings back the results and takes the error away.
func TestLiveSearchShowsErrors(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/search/?q=digital")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("search-query"), ` "records`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector('#search-errors .nhsuk-error-summary a[href="#search-query"]') !== null &&
		document.getElementById('search-query-error') !== null &&
		document.getElementById('search-query').getAttribute('aria-describedby').includes('search-query-error') &&
		document.getElementById('search-query-group').classList.contains('nhsuk-form-group--error') &&
		document.getElementById('search-side').hidden`, "the error to show as you type")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent(kb.Backspace),
		chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent(kb.Backspace),
		chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent(kb.Backspace)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector('#search-errors .nhsuk-error-summary') === null &&
		document.getElementById('search-query-error') === null &&
		!document.getElementById('search-query-group').classList.contains('nhsuk-form-group--error') &&
		!document.getElementById('search-side').hidden && document.querySelectorAll('#search-filters input[type=checkbox]').length > 0 &&
		document.querySelectorAll('.kb-result').length > 0`, "the error to go and the results to come back")
}
