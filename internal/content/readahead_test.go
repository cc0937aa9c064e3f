package content

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/nhsx/kb/internal/sitetest"
)

// watchPrefetch makes prefetchFile report each file asked for on the
// returned channel, until the test ends.
func watchPrefetch(t *testing.T) <-chan string {
	asked := make(chan string, 4*readAheadWindow)
	prefetchFile = func(file string) { asked <- file }
	t.Cleanup(func() { prefetchFile = prefetch })
	return asked
}

// count takes what was asked until nothing more comes for a while.
func count(asked <-chan string) (files []string) {
	for {
		select {
		case f := <-asked:
			files = append(files, f)
		case <-time.After(100 * time.Millisecond):
			return files
		}
	}
}

func TestReadAheadStaysAWindowAhead(t *testing.T) {
	defer goleak.VerifyNone(t)
	asked := watchPrefetch(t)
	pages := make([]*Page, 1000)
	for i := range pages {
		pages[i] = &Page{File: filepath.Join("content", "guides", string(rune('a'+i%26))+".md")}
	}
	pages[3] = nil               // an item without a page: a list
	pages[5].given = new([]byte) // a page given, not read from disk
	started, stop := ReadAhead(len(pages), func(i int, ask func(string)) { ask(pages[i].SourceFile()) })
	first := count(asked)
	if want := readAheadWindow - 2; len(first) != want {
		t.Fatalf("with no item started, %d files asked for, want the window's %d less the two without a file", len(first), want)
	}
	if first[0] != pages[0].File || first[3] != pages[4].File || first[4] != pages[6].File {
		t.Errorf("asked out of order, or for an item without a file: %v", first[:5])
	}
	for range 10 {
		started()
	}
	if more := count(asked); len(more) != 10 {
		t.Errorf("after 10 items started, %d more files asked for, want 10", len(more))
	}
	stop()
}

// Each item may ask for several files (a page's source and its earlier
// output): they come in the item's order, and the window counts items.
func TestReadAheadAsksForEachFileOfAnItem(t *testing.T) {
	defer goleak.VerifyNone(t)
	asked := watchPrefetch(t)
	started, stop := ReadAhead(3*readAheadWindow, func(i int, ask func(string)) {
		ask(fmt.Sprintf("content/%d.md", i))
		if i%2 == 0 {
			ask(fmt.Sprintf("public/%d/index.html", i))
		}
	})
	defer stop()
	first := count(asked)
	if want := readAheadWindow + readAheadWindow/2; len(first) != want {
		t.Fatalf("with no item started, %d files asked for, want %d: the window's items, half of them with two", len(first), want)
	}
	if want := []string{"content/0.md", "public/0/index.html", "content/1.md", "content/2.md"}; !slices.Equal(first[:4], want) {
		t.Errorf("asked first for %v, want %v", first[:4], want)
	}
	started()
	if more := count(asked); len(more) != 2 || more[0] != fmt.Sprintf("content/%d.md", readAheadWindow) {
		t.Errorf("after one item started, asked for %v, want the next item's two files", more)
	}
}

func TestReadAheadStopsEarly(t *testing.T) {
	defer goleak.VerifyNone(t)
	watchPrefetch(t)
	_, stop := ReadAhead(10*readAheadWindow, func(i int, ask func(string)) { ask("x.md") })
	stop() // the reader is blocked on a full window: stop must end it
}

// A named pipe among the sources must not hang the build: opening one for
// reading waits for a writer unless told not to.
func TestPrefetchDoesNotBlockOnAPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.md")
	sitetest.Fifo(t, fifo)
	done := make(chan struct{})
	go func() {
		prefetch(fifo)
		prefetch(filepath.Join(dir, "missing.md"))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("prefetch blocked on a named pipe")
	}
}
