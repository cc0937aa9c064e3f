package build

import (
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
