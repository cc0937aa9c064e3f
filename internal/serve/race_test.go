package serve

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestSearchDuringEdits: search requests keep coming while edits patch the
// site model in place (an item's title, the footer's plain page); under
// -race this shows whether the search page ever reads the model mid-patch.
func TestSearchDuringEdits(t *testing.T) {
	ts := startServer(t, sampleSite(), func(o *Options) { o.Search = NewSearch() })
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, u := range []string{"/search/?q=guide", "/api/search?q=guide"} {
					resp, err := ts.client.Get(ts.url + u)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						t.Errorf("%s: %d", u, resp.StatusCode)
					}
				}
			}
		}()
	}
	for i := range 10 {
		ts.write("content/guides/a.md", page(fmt.Sprintf("Alpha %c guide", 'A'+i), "Alpha body text."))
		ts.waitBuild()
		ts.write("content/about.md", fmt.Sprintf("---\ntitle: About %d\nsummary: About this site.\n---\n\nAbout text.\n", i))
		ts.waitBuild()
	}
	close(stop)
	wg.Wait()
}
