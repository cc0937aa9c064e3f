package content

// readAheadWindow is how many items ahead of the workers ReadAhead asks for
// sources: enough to keep the disk's queue busy, few enough that what it
// reads is still cached when its page's turn comes.
const readAheadWindow = 64

// prefetchFile is prefetch, replaced by tests that watch what is asked.
var prefetchFile = prefetch

// ReadAhead asks the kernel to start reading the files of n items, in
// order, up to readAheadWindow items ahead of the loop that reads them:
// files(i, ask) calls ask for each file item i will read (a page's source,
// the earlier version of its output that the staging folder compares it
// with), and each item calls started as it begins; the loop calls stop once
// it is done. A build reads every page twice, once for its facts and once
// to render it; at 100,000 pages a minute or more lies between the two,
// long enough for a kernel short of memory to have dropped the file from
// its cache (this project's benchmark machine drops what has not been
// touched for a minute), and the render then waited on the disk for each
// page in turn; so it did for each earlier output, written a build before.
// With the files cached it costs an open and a close per file. stop
// returns once the reader has ended, so nothing it does outlives the loop.
func ReadAhead(n int, files func(i int, ask func(file string))) (started, stop func()) {
	slots := make(chan struct{}, readAheadWindow)
	done, ended := make(chan struct{}), make(chan struct{})
	fetch := prefetchFile
	ask := func(file string) {
		if file != "" {
			fetch(file)
		}
	}
	go func() {
		defer close(ended)
		for i := range n {
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			files(i, ask)
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

// SourceFile is the file the page's source is read from again when it is
// rendered: "" for a page without one, or whose source was given rather
// than read (see Source).
func (p *Page) SourceFile() string {
	if p == nil || p.given != nil {
		return ""
	}
	return p.File
}
