package build

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// benchBuild builds the corpus named by env (made by make bench from the
// shared generator) b.N times and reports pages per second.
func benchBuild(b *testing.B, env string) {
	src := os.Getenv(env)
	if src == "" {
		b.Skipf("%s is not set: run make bench, which generates the corpus", env)
	}
	opt := Options{Source: src, ThemeDir: sitetest.ThemeDir(b), Out: filepath.Join(b.TempDir(), "public")}
	var pages int
	for b.Loop() {
		_, st, err := Build(opt)
		if err != nil {
			b.Fatal(err)
		}
		pages = st.Pages + st.Generated
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkBuild1k(b *testing.B)  { benchBuild(b, "KB_CORPUS_1K") }
func BenchmarkBuild10k(b *testing.B) { benchBuild(b, "KB_CORPUS_10K") }

// BenchmarkBuildOnDisk times kb build with its records and index kept, on a
// copy of the corpus: after no edit, and after a one-page body edit (the
// in-place rebuild), each iteration one whole kb build.
func BenchmarkBuildOnDisk(b *testing.B) {
	corpus := os.Getenv("KB_CORPUS_10K")
	if corpus == "" {
		corpus = os.Getenv("KB_CORPUS_1K")
	}
	if corpus == "" {
		b.Skip("KB_CORPUS_10K or KB_CORPUS_1K is not set: run make bench, which generates the corpora")
	}
	src := b.TempDir()
	if err := os.CopyFS(filepath.Join(src, "content"), os.DirFS(filepath.Join(corpus, "content"))); err != nil {
		b.Fatal(err)
	}
	guides, _ := filepath.Glob(filepath.Join(src, "content", "guides", "*.md"))
	file := guides[len(guides)/2]
	tmp := b.TempDir()
	opt := Options{Source: src, ThemeDir: sitetest.ThemeDir(b), Out: filepath.Join(tmp, "public"),
		IndexDir: filepath.Join(tmp, "index.bleve"), Cache: filepath.Join(tmp, "cache")}
	if _, _, err := Build(opt); err != nil {
		b.Fatal(err)
	}
	for _, edit := range []string{"none", "body"} {
		b.Run("edit="+edit, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if edit == "body" {
					f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
					if err != nil {
						b.Fatal(err)
					}
					fmt.Fprintf(f, "\nEdit number %d.\n", i)
					f.Close()
				}
				_, st, err := Build(opt)
				if err != nil || !st.InPlace {
					b.Fatalf("in place %v: %v", st.InPlace, err)
				}
			}
		})
	}
}
