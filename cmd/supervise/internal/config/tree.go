package config

// walk calls fn for g and every child below it, parents first.
func walk(g *Group, fn func(Child)) {
	fn(g)
	for _, c := range g.Children {
		if sub, ok := c.(*Group); ok {
			walk(sub, fn)
		} else {
			fn(c)
		}
	}
}

// processes indexes the processes of f by path.
func (f *File) processes() map[string]*Process {
	procs := map[string]*Process{}
	if f == nil || f.Root == nil {
		return procs
	}
	walk(f.Root, func(c Child) {
		if p, ok := c.(*Process); ok {
			procs[p.Path] = p
		}
	})
	return procs
}

// group returns the supervisor of f at path, or nil.
func (f *File) group(path string) *Group {
	var found *Group
	if f == nil || f.Root == nil {
		return nil
	}
	walk(f.Root, func(c Child) {
		if g, ok := c.(*Group); ok && g.Path == path {
			found = g
		}
	})
	return found
}
