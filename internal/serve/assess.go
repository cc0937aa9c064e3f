package serve

import (
	"errors"
	"net/http"

	"github.com/nhsx/kb/internal/assess"
)

// assess serves the self-assessment from the last good build: its forms and,
// from the answers in the address, its results. The statements are read
// again on each request, so an edit to them shows at once.
func (s *Server) assess() http.Handler {
	return assess.Handler(func() (*assess.Source, error) {
		s.mu.RLock()
		m := s.st.model
		s.mu.RUnlock()
		if m == nil {
			return nil, errors.New("the site has not been built yet")
		}
		set, errs := assess.Load(m.Options.Source, m.Config, m.Options.Now)
		if err := errs.Err(); err != nil {
			return nil, err
		}
		return m.AssessSource(set)
	})
}
