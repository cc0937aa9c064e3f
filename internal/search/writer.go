package search

import (
	"fmt"
	"os"
	"sync"

	bdoc "github.com/blevesearch/bleve/v2/document"

	"github.com/nhsx/kb/internal/search/analysis"
)

// Writer writes an index on disk from pages handed to it one at a time, as
// the build renders them: each page's document is made from the text its
// render's parse gave (see build.SearchPages for who makes the Pages), so no
// page's tree or text waits in memory for the others. Like Build, it starts from a copy of the previous index when it can
// and indexes again only the pages whose documents changed.
type Writer struct {
	x   *Index
	old map[string]row // the previous index's rows; nil for a new index
	dir string

	// queue holds the documents to index, in the order they come. It holds
	// a batch's worth: bleve makes each batch's segment on one core, and
	// with a queue of 64 the pages being rendered waited for it, 7 s in
	// all at 10,000 pages on a busy 2-core machine.
	queue chan queued
	done  chan error // the indexing goroutine's result

	// keep, when set, takes the previous index's entry of every page not
	// added as still right (see Keep).
	keep bool

	mu sync.Mutex
	// added holds, by URL, every page added: its document's sum and its
	// body in the lexicon's numbers, in one map (two maps of 100,000 pages
	// were 11 MB of a build's live heap, one key each).
	added   map[string]addedPage
	words   map[string]int32
	indexed int
}

// queued is a page's bleve document, made as it was added, on the adding
// goroutine, or why it could not be made.
type queued struct {
	url, path string
	doc       *bdoc.Document
	err       error
}

// NewWriter creates the index in dir, which must not exist yet; previous
// names the index an earlier build wrote ("" for none). The caller writes dir
// beside the index it replaces and renames it into place once the build
// succeeds, so readers never see half an index.
func NewWriter(dir, previous string, syn *analysis.Synonyms) (*Writer, error) {
	x, old, err := startBuild(dir, syn, previous)
	if err == nil {
		x.spill, err = newSpill(dir)
	}
	if err != nil {
		if x != nil {
			x.Close()
		}
		return nil, fmt.Errorf("creating search index %s: %w", dir, err)
	}
	w := &Writer{x: x, old: old, dir: dir, queue: make(chan queued, batchSize), done: make(chan error, 1),
		added: map[string]addedPage{}, words: map[string]int32{}}
	go w.run()
	return w, nil
}

// addedPage is what a Writer keeps of a page added until it closes.
type addedPage struct {
	sum  uint64
	text pageText
}

// run takes the queued documents into bleve in batches. After an error it
// keeps draining the queue, so that Add never blocks, and reports the first.
func (w *Writer) run() {
	b := w.x.bi.NewBatch()
	var first error
	var docs []*bdoc.Document // the batch's
	index := func() {
		first = w.x.bi.Batch(b)
		b.Reset()
		if first == nil {
			w.x.giveBack(docs)
		}
		docs = docs[:0]
	}
	for q := range w.queue {
		if first != nil {
			continue
		}
		err := q.err
		if err == nil {
			err = b.IndexAdvanced(q.doc)
		}
		if err != nil {
			first = fmt.Errorf("indexing %s: %w", q.path, err)
			continue
		}
		docs = append(docs, q.doc)
		if b.Size() >= batchSize {
			index()
		}
	}
	if first == nil && b.Size() > 0 {
		index()
	}
	w.done <- first
}

// Keep makes Close keep the previous index's entry of each page that was
// not added, rather than parse the page again: for a build that rendered
// only the pages an edit reached, and knows the others unchanged. The
// vocabulary then starts from the previous index's and only grows, as the
// preview's does: a word whose last page lost it stays a spelling candidate
// that finds nothing, until the next full build.
func (w *Writer) Keep() error {
	if w.old == nil {
		return nil // a new index: every page is added
	}
	text, err := w.x.bi.GetInternal(keyVocab)
	if err != nil {
		return err
	}
	v, err := analysis.DecodeVocab(text)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keep = true
	w.words = v.Counts()
	return nil
}

// Add makes p's index document, text included, and queues it for indexing
// unless the previous index holds the same. It may be called from several
// goroutines at once, once per page.
func (w *Writer) Add(p Page) {
	doc := docFrom(&p, w.x.synonyms)
	sum := doc.sum()
	r, had := w.old[p.URL]
	changed := !had || r.Sum != sum
	text := r.pageText // the same body, in the same lexicon
	if changed {
		text = pageText{code: w.x.lex.encode(doc.Body), prose: len(doc.Text)}
	}
	// The words as WordCounts counts them; the body's from its code.
	words := w.x.lex.pageWords(text.code, analysis.PageWords(doc.Title, doc.Summary, doc.Headings, doc.Tags))
	var q queued
	if changed {
		d, err := w.x.bleveDoc(p.URL, &doc, text.code)
		q = queued{p.URL, p.Path, d, err}
		text = w.x.spill.put(text)
	}
	w.mu.Lock()
	w.added[p.URL] = addedPage{sum, text}
	for _, word := range words {
		if !w.keep || !had || w.words[word] == 0 {
			w.words[word]++
		}
	}
	if changed {
		w.indexed++
	}
	w.mu.Unlock()
	if changed {
		w.queue <- q
	}
}

// Close makes the index hold exactly pages, whose text (Headings, Prose,
// Nav) it does not read: the rows need only the rest. Those not added yet
// are added now, as whole(i) makes them, pages[i] with its text (the caller
// parses the page again; its error stops the index); the previous index's
// pages not among them are deleted, and the index is merged, saved and
// closed. It reports how many pages were indexed anew or deleted.
func (w *Writer) Close(pages []Page, whole func(i int) (Page, error)) (int, error) {
	return w.CloseEach(len(pages), func(i int) Page { return pages[i] }, whole)
}

// CloseEach is Close for n pages that page(i) makes one at a time, as often
// as asked, so that they are never all held at once: at 100,000 pages the
// list of them was some 40 MB of a build's peak, beside the final merge.
func (w *Writer) CloseEach(n int, page func(i int) Page, whole func(i int) (Page, error)) (int, error) {
	for i := range n {
		url := page(i).URL
		w.mu.Lock()
		_, added := w.added[url]
		r, had := w.old[url]
		if !added && w.keep && had {
			w.added[url], added = addedPage{r.Sum, r.pageText}, true
		}
		w.mu.Unlock()
		if !added {
			p, err := whole(i)
			if err != nil {
				w.Abort()
				return 0, err
			}
			w.Add(p)
		}
	}
	close(w.queue)
	err := <-w.done
	w.x.lex.counts.drain()
	indexed := w.indexed
	if err == nil {
		indexed, err = w.finish(n, page)
	}
	if cerr := w.x.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = dropDeadSegments(w.dir)
	}
	if err != nil {
		return 0, fmt.Errorf("writing search index %s: %w", w.dir, err)
	}
	return indexed, nil
}

// finish deletes the pages gone since the previous index, records the rows
// and vocabulary, and merges the index into one segment.
func (w *Writer) finish(n int, page func(i int) Page) (int, error) {
	var keep map[string]bool // the pages kept, when there are old ones to delete
	if w.old != nil {
		keep = make(map[string]bool, n)
	}
	for i := range n {
		p := page(i)
		if keep != nil {
			keep[p.URL] = true
		}
		a := w.added[p.URL]
		w.x.rememberOne(&p, a.sum, a.text)
	}
	w.added = nil // the rows hold them now
	b := w.x.bi.NewBatch()
	for u := range w.old {
		if !keep[u] {
			b.Delete(u)
		}
	}
	if b.Size() > 0 {
		if err := w.x.bi.Batch(b); err != nil {
			return 0, fmt.Errorf("indexing: %w", err)
		}
	}
	w.x.words = w.words
	indexed := w.indexed + b.Size()
	if indexed > 0 {
		var err error
		switch {
		case w.old == nil: // the batches scorch has not merged, into one
			err = mergeSmall(w.x.bi, batchSize, 1)
		case smallUpdate(indexed, n):
			err = mergeSmall(w.x.bi, batchSize, mostSegments)
		default:
			err = mergeDown(w.x.bi, 1)
		}
		if err != nil {
			return 0, err
		}
	}
	// Saving waits until the index on disk has caught up, merge included.
	return indexed, w.x.saveMeta()
}

// Abort stops the writer and removes what it wrote.
func (w *Writer) Abort() {
	if w == nil {
		return
	}
	close(w.queue)
	<-w.done
	w.x.Close()
	os.RemoveAll(w.dir)
}
