package web

// Hold takes a slot of the gate (a heavy one too, with heavy set) until
// release is called, so that tests can fill it.
func (g *Gate) Hold(heavy bool) (release func()) {
	lane := g.slots
	if heavy {
		lane = g.heavy
	}
	lane <- struct{}{}
	released := false
	return func() {
		if !released {
			released = true
			<-lane
		}
	}
}
