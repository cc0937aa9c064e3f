package content

// readAheadWindow is how many items ahead of the workers ReadAhead asks for
// sources: enough to keep the disk's queue busy, few enough that what it
// reads is still cached when its page's turn comes.
const readAheadWindow = 64

// prefetchFile is prefetch, replaced by tests that watch what is asked.
var prefetchFile = prefetch

// ReadAhead asks the kernel to start reading the sources of n items'
// pages (page(i), nil for an item without one), in order, up to
// readAheadWindow items ahead of the loop that reads them: each item calls
// started as it begins, and the loop calls stop once it is done. A build
// reads every page twice, once for its facts and once to render it; at
// 100,000 pages a minute or more lies between the two, long enough for a
// kernel short of memory to have dropped the file from its cache (this
// project's benchmark machine drops what has not been touched for a
// minute), and the render then waited on the disk for each page in turn.
// With the files cached it costs an open and a close per page. stop
// returns once the reader has ended, so nothing it does outlives the loop.
func ReadAhead(n int, page func(i int) *Page) (started, stop func()) {
	slots := make(chan struct{}, readAheadWindow)
	done, ended := make(chan struct{}), make(chan struct{})
	fetch := prefetchFile
	go func() {
		defer close(ended)
		for i := range n {
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			if p := page(i); p != nil && p.given == nil {
				fetch(p.File)
			}
		}
	}()
	started = func() {
		select {
		case <-slots:
		default: // the reader is behind: nothing to take back
		}
	}
	return started, func() { close(done); <-ended }
}
