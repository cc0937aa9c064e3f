package site

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/wgll"
)

// BenchmarkRelate picks every item's related items on a 20,000-item site
// with 60 topics, scoring every candidate and the fast way.
func BenchmarkRelate(b *testing.B) {
	cfg, _ := config.Load(b.TempDir())
	rng := rand.New(rand.NewPCG(1, 2))
	tree := &content.Tree{}
	for i := range 20000 {
		topics := ""
		for k := range 1 + rng.IntN(4) {
			topics += fmt.Sprintf("t%d, ", (k*17+rng.IntN(60))%60)
		}
		src := fmt.Sprintf("---\ntitle: Guide %d\nsummary: S\nmeasures: [%s]\ntopics: [%s]\norganisations: [Org %d]\n---\nBody.\n",
			i, wgll.Slugs()[rng.IntN(7)], topics, rng.IntN(40))
		p := &content.Page{Path: fmt.Sprintf("content/guides/g%d.md", i)}
		var errs diag.List
		if !content.ParseSource(p, []byte(src), markdown.New(), nil, &errs) {
			b.Fatal(errs)
		}
		tree.Pages = append(tree.Pages, p)
	}
	s, errs := New(cfg, tree, Options{})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	benchRelate(b, s, true)
}

// BenchmarkRelate10k is BenchmarkRelate on the shared 10,000-page corpus
// (KB_CORPUS_10K, which make bench generates), whose topics cluster.
func BenchmarkRelate10k(b *testing.B) {
	benchRelate(b, corpusSite(b, "KB_CORPUS_10K"), true)
}

// BenchmarkRelate100k is the fast way alone on the shared 100,000-page
// corpus (KB_CORPUS_100K, which make bench-100k generates): pages of two to
// six of 60 topics and up to three of 40 organisations, where lists by
// term grow with the site. Scoring every candidate takes half a minute
// there. Only front matter is read, which still takes a while.
func BenchmarkRelate100k(b *testing.B) {
	if testing.Short() {
		b.Skip("reading 100,000 pages is slow")
	}
	benchRelate(b, corpusSite(b, "KB_CORPUS_100K"), false)
}

// corpusSite makes the site of the corpus named by the environment variable
// env from its pages' front matter: relating needs nothing else.
func corpusSite(b testing.TB, env string) *Site {
	root := os.Getenv(env)
	if root == "" {
		b.Skipf("%s is not set: make bench and make bench-100k generate the corpora", env)
	}
	cfg, errs := config.Load(root)
	files, _, errs2 := content.Scan(root)
	if errs = append(errs, errs2...); errs.Err() != nil {
		b.Fatal(errs)
	}
	conv := markdown.New()
	lists := make([]diag.List, len(files))
	par.For(len(files), func(i int) {
		src, err := os.ReadFile(files[i].File)
		if err != nil {
			lists[i].Addf(diag.Pos{File: files[i].Path}, "%v", err)
			return
		}
		content.ParseSource(files[i], frontMatter(src), conv, cfg, &lists[i])
	})
	for _, l := range lists {
		errs = append(errs, l...)
	}
	if errs.Err() != nil {
		b.Fatal(errs)
	}
	s, errs := New(cfg, &content.Tree{Pages: files}, Options{})
	if errs.Err() != nil {
		b.Fatal(errs)
	}
	return s
}

// frontMatter cuts src after the line that closes its front matter.
func frontMatter(src []byte) []byte {
	if end := bytes.Index(src[3:], []byte("\n---\n")); bytes.HasPrefix(src, []byte("---\n")) && end >= 0 {
		return src[:3+end+5]
	}
	return src
}

// benchRelate times relating every item of s, scoring every candidate when
// full says so, and the fast way, whose structures' size it reports as
// fast-bytes: they live as long as the workers of a build.
func benchRelate(b *testing.B, s *Site, full bool) {
	score := make([]int32, len(s.Items))
	b.Run("every-candidate", func(b *testing.B) {
		if !full {
			b.Skip("too slow at this size")
		}
		for b.Loop() {
			r := newRelater(s)
			for i, p := range s.Items {
				cands, _ := r.candidates(p, i, score, nil)
				top(cands, score, MaxRelated)
				for _, j := range cands {
					score[j] = 0
				}
			}
		}
	})
	// What an edit in the preview pays before relating the items it reaches.
	b.Run("fast-setup", func(b *testing.B) {
		r := newRelater(s)
		for b.Loop() {
			newFastRelater(s, r, tripleAuto)
		}
	})
	b.Run("fast", func(b *testing.B) {
		held := heapGrowth(func() any { return newFastRelater(s, newRelater(s), tripleAuto) })
		for b.Loop() {
			r := newRelater(s)
			fast := newFastRelater(s, r, tripleAuto)
			var cands []int32 // reused, as relateSome does
			for i := range s.Items {
				_, cands = fast.best(i, score, cands[:0])
			}
		}
		b.ReportMetric(float64(held), "fast-bytes")
	})
}

// heapGrowth is how many more bytes the heap holds, once collected, while
// what make returns is alive.
func heapGrowth(make func() any) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := make()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return after.HeapAlloc - before.HeapAlloc
}
