package site

// Drafts counts the Markdown files left out of the site as drafts, so that
// a build's summary can say how many source files its pages came from.
func (s *Site) Drafts() int { return len(s.drafts) }
