package search

// Hold takes a slot of the gate until release is called, so that tests can
// fill it.
func (g *Gate) Hold() (release func()) {
	g.slots <- struct{}{}
	released := false
	return func() {
		if !released {
			released = true
			g.leave()
		}
	}
}
