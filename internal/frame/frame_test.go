package frame

import (
	"fmt"
	"strings"
	"testing"
)

func TestFrameFillsItsSlots(t *testing.T) {
	page := "<title>" + Title + " – KB</title><meta content=\"" + Title + "\"><main>" + string(Main) + "</main>"
	f, err := Parse("search", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := f.Page(&b, `Results for ‘a<b & "c"’`, "<ol><li>hit</li></ol>"); err != nil {
		t.Fatal(err)
	}
	want := `<title>Results for ‘a&lt;b &amp; &#34;c&#34;’ – KB</title><meta content="Results for ‘a&lt;b &amp; &#34;c&#34;’"><main><ol><li>hit</li></ol></main>`
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
	if string(f.Bytes()) != page {
		t.Errorf("Bytes gives %s, not the page parsed", f.Bytes())
	}
}

func TestFrameNeedsOneMainSlot(t *testing.T) {
	for n, page := range []string{"<main></main>", "", "<main>" + string(Main) + string(Main) + "</main>"} {
		want := fmt.Sprintf("layout search shows the part kb fills in %d times, not once: its \"main\" block must show {{.Search}} (search) or {{.Assess}} (the self-assessment) exactly once", n)
		if n == 1 {
			continue
		}
		if _, err := Parse("search", []byte(page)); err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", page, err, want)
		}
	}
}
