package config

// The YAML parser's work grows with the square of the nesting depth, and
// it runs before the decoder could count levels, so the depth is
// measured on the raw text first, in one pass that allocates nothing
// beyond its stacks. The scan follows YAML's rules closely enough to
// never count a level the parser would not build (it may miss one in a
// few rare layouts, such as a flow pair "[a: b]"), and it stops at the
// first level past the limit.

// nestScan is the state of one scan of a file for its nesting depth.
type nestScan struct {
	data      []byte
	i         int
	max       int
	block     []blockLevel // open block collections, outermost first
	flow      []byte       // open flow collections: '[', '{', or 'p' for a sequence with a pair "a: b" open
	pairs     int          // how many of flow are 'p'
	braces    int          // how many of flow are '{'
	over      int          // offset of the first level past max, or -1
	lineStart int          // offset of the current line
	deepest   int          // the most levels open at once so far
	// plain is the indent that a line must exceed to continue a plain
	// scalar ended on the previous line, or -2 if none did.
	plain int
}

// blockLevel is one open block collection: its column and whether it is
// a sequence ('s') or a mapping ('m').
type blockLevel struct {
	col  int
	kind byte
}

// nestingOver returns the offset in data of the first mapping or list
// nested more than max deep, and whether there is one.
func nestingOver(data []byte, max int) (int, bool) {
	s := scanNesting(data, max)
	return s.over, s.over >= 0
}

// scanNesting scans data until its end or the first level past max.
func scanNesting(data []byte, max int) *nestScan {
	s := &nestScan{data: data, max: max, over: -1, plain: -2}
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		s.i = 3
	}
	for s.i < len(s.data) && s.over < 0 {
		s.line()
	}
	return s
}

// depth is the number of collections open.
func (s *nestScan) depth() int { return len(s.block) + len(s.flow) + s.pairs }

func (s *nestScan) check() {
	s.deepest = max(s.deepest, s.depth())
	if s.over < 0 && s.deepest > s.max {
		s.over = s.i
	}
}

// line scans one line in block context, from its start to past its end.
func (s *nestScan) line() {
	s.lineStart = s.i
	indent := s.indentation()
	c := s.peek(0)
	switch {
	case isBreak(c) || c == '#' || (c == '%' && indent == 0):
		s.toEOL()
		return
	case indent > s.plain && s.plain > -2:
		s.toEOL() // a plain scalar's next line
		return
	case indent == 0 && s.i+3 <= len(s.data) && (string(s.data[s.i:s.i+3]) == "---" || string(s.data[s.i:s.i+3]) == "...") && isSpaceOrEnd(s.peek(3)):
		s.block, s.plain = s.block[:0], -2 // a new document
		s.i += 3
		s.spaces()
		s.value(-1)
		return
	}
	s.plain = -2
	for s.peek(0) == '\t' || s.peek(0) == ' ' {
		s.i++ // separation after the indentation, not part of the node
	}
	s.node(indent)
}

// node scans a node that starts in block context at column col (the
// current position), with its indicators, key and value.
func (s *nestScan) node(col int) {
	c := s.peek(0)
	switch {
	case c == '?' && s.indicator():
		// The parser takes what follows "? " on its line as one scalar
		// key, and refuses a collection there.
		s.open(col, 'm')
		s.toEOL()
		s.plain = col
	case c == '-' && s.indicator():
		s.open(col, 's')
		s.i++
		next := col + 1 + s.spaces()
		if s.over >= 0 || isBreak(s.peek(0)) || s.peek(0) == '#' {
			s.toEOL()
			return
		}
		s.node(next)
	case c == '&' || c == '!':
		// A tag or anchor, of the key if a key follows: a tag may hold a
		// ':' ("!a:b"), so the key is looked for after it.
		for c := s.peek(0); c == '&' || c == '!'; c = s.peek(0) {
			s.skipWord()
			if s.peek(0) == '\t' {
				s.toEOL() // the parser reads the rest as a scalar
				s.plain = col
				return
			}
			s.spaces()
		}
		if !s.isKey() {
			s.node(s.i - s.lineStart)
			return
		}
		s.open(col, 'm')
		s.skipKey()
		s.i++
		s.spaces()
		s.value(col)
	case c == ':' && isSpaceOrEnd(s.peek(1)):
		// The value of a "? key", in the mapping that the key opened.
		s.close(col)
		s.i++
		next := col + 1 + s.spaces()
		if isBreak(s.peek(0)) || s.peek(0) == '#' {
			s.toEOL()
			return
		}
		s.node(next)
	case s.isKey():
		s.open(col, 'm')
		s.skipKey()
		s.i++ // the ':'
		s.spaces()
		s.value(col)
	default:
		s.close(col)
		parent := -1
		if n := len(s.block); n > 0 {
			parent = s.block[n-1].col
		}
		s.value(parent)
	}
}

// indicator reports whether a block indicator starts here: "- ", "? "
// or ": ". Unlike "-", a "?" at the end of a line is a plain scalar to
// the parser.
func (s *nestScan) indicator() bool {
	switch next := s.peek(1); s.peek(0) {
	case '-', ':':
		return isSpaceOrEnd(next)
	case '?':
		return next == ' ' || next == '\t'
	}
	return false
}

// open records a block collection of kind at col, closing those it ends.
func (s *nestScan) open(col int, kind byte) {
	s.close(col)
	if n := len(s.block); n > 0 && s.block[n-1].col == col {
		top := s.block[n-1]
		switch {
		case top.kind == kind:
			return
		case top.kind == 's' && kind == 'm':
			// A key at the column of a list that is a mapping's value
			// ends the list.
			s.block = s.block[:n-1]
			if n > 1 && s.block[n-2].col == col {
				return
			}
		}
	}
	s.block = append(s.block, blockLevel{col, kind})
	s.check()
}

// close ends the block collections deeper than col.
func (s *nestScan) close(col int) {
	for n := len(s.block); n > 0 && s.block[n-1].col > col; n-- {
		s.block = s.block[:n-1]
	}
}

// value scans a value in block context after its key or indicator, to
// the end of its line (or of a flow collection or quoted scalar that
// starts there); parent is the column that lines continuing it must be
// indented past.
func (s *nestScan) value(parent int) {
	for {
		switch c := s.peek(0); {
		case c == '&' || c == '!':
			s.skipWord()
			s.spaces()
			continue
		case s.indicator() || s.isKey():
			// Not valid YAML after a key, but counted all the same in
			// case a parser builds it.
			s.node(s.i - s.lineStart)
		case c == '[' || c == '{':
			s.flowScan()
			s.rest(parent)
		case c == '"' || c == '\'':
			s.quoted()
			s.rest(parent)
		case c == '|' || c == '>':
			s.toEOL()
			s.blockScalar(parent)
		case isBreak(c) || c == '#':
			s.toEOL()
		default:
			s.toEOL()
			s.plain = parent
		}
		return
	}
}

// rest scans what follows a flow collection or quoted scalar on its line:
// nothing, a comment, or ": value" if it was a key.
func (s *nestScan) rest(parent int) {
	s.spaces()
	if s.peek(0) == ':' && isSpaceOrEnd(s.peek(1)) {
		s.i++
		s.spaces()
		s.value(parent)
		return
	}
	s.toEOL()
}

// blockScalar skips the lines of a block scalar (| or >) whose header
// line was just scanned.
func (s *nestScan) blockScalar(parent int) {
	content := -1
	for s.i < len(s.data) {
		start := s.i
		indent := s.indentation()
		blank := isBreak(s.peek(0)) || s.peek(0) == '\t' && s.blankRest()
		if !blank {
			if content < 0 && indent > parent {
				content = indent
			}
			if content < 0 || indent < content {
				s.i = start
				return
			}
		}
		s.toEOL()
	}
}

// blankRest reports whether the rest of the line is white space.
func (s *nestScan) blankRest() bool {
	for j := s.i; j < len(s.data); j++ {
		switch s.data[j] {
		case ' ', '\t', '\r':
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// flowScan scans a flow collection from its opening bracket to past its
// closing one, or to the end of the data.
func (s *nestScan) flowScan() {
	tokenStart := true
	for s.i < len(s.data) && s.over < 0 {
		c := s.data[s.i]
		switch {
		case c == '[' || c == '{':
			s.flow = append(s.flow, c)
			if c == '{' {
				s.braces++
			}
			s.check()
			tokenStart = true
		case c == ']' || c == '}':
			s.endPair()
			if s.flow[len(s.flow)-1] == '{' {
				s.braces--
			}
			s.flow = s.flow[:len(s.flow)-1]
			if len(s.flow) == 0 {
				s.i++
				return
			}
			tokenStart = false
		case c == ',':
			s.endPair()
			tokenStart = true
		case c == ':' && (isSpaceOrEnd(s.peek(1)) || s.braces > 0):
			// As the parser reads it: "a:b" and "a:]" are plain
			// scalars, except in a list inside a flow mapping.
			if n := len(s.flow); s.flow[n-1] == '[' {
				s.flow[n-1] = 'p'
				s.pairs++
				s.check()
			}
			tokenStart = true
		case (c == '"' || c == '\'') && tokenStart:
			s.quoted()
			tokenStart = false
			continue
		case (c == '!' || c == '&' || c == '*') && tokenStart:
			// A tag, anchor or alias, whose name may hold a ':'.
			for s.i < len(s.data) && !isSpaceOrEnd(s.data[s.i]) && !isFlowIndicator(s.data[s.i]) {
				s.i++
			}
			tokenStart = false
			continue
		case c == '#' && tokenStart:
			s.toEOL()
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			tokenStart = true
		default:
			tokenStart = false
		}
		s.i++
	}
}

// endPair ends the pair open in the innermost flow sequence, if any.
func (s *nestScan) endPair() {
	if n := len(s.flow); n > 0 && s.flow[n-1] == 'p' {
		s.flow[n-1] = '['
		s.pairs--
	}
}

// quoted skips a quoted scalar from its opening quote to past its
// closing one, or to the end of the data.
func (s *nestScan) quoted() {
	q := s.data[s.i]
	for s.i++; s.i < len(s.data); s.i++ {
		switch c := s.data[s.i]; {
		case c == '\\' && q == '"':
			s.i++
		case c == q && q == '\'' && s.peek(1) == '\'':
			s.i++
		case c == q:
			s.i++
			return
		}
	}
}

// isKey reports whether the node at the current position is an implicit
// mapping key: a single-line scalar followed by ':' and a space.
func (s *nestScan) isKey() bool {
	save := s.i
	defer func() { s.i = save }()
	return s.skipKey()
}

// skipKey moves to the ':' after a key and reports whether there is one.
func (s *nestScan) skipKey() bool {
	switch s.peek(0) {
	case '[', '{':
		return false // a flow collection, key or not, is scanned as one
	case '|', '>':
		return false // a block scalar
	case ':':
		return false // no key, or an indicator
	case '"', '\'':
		s.quoted()
		s.spaces()
		return s.peek(0) == ':' && isSpaceOrEnd(s.peek(1))
	case '*':
		s.skipWord()    // an alias's name may hold a ':'
		s.indentation() // the parser takes no tab here
		return s.peek(0) == ':' && isSpaceOrEnd(s.peek(1))
	}
	for ; s.i < len(s.data); s.i++ {
		switch c := s.data[s.i]; {
		case isBreak(c):
			return false
		case c == ':' && isSpaceOrEnd(s.peek(1)):
			return true
		case c == '#' && s.i > 0 && (s.data[s.i-1] == ' ' || s.data[s.i-1] == '\t'):
			return false
		}
	}
	return false
}

// spaces skips spaces and tabs and returns how many.
func (s *nestScan) spaces() int {
	n := 0
	for s.i < len(s.data) && (s.data[s.i] == ' ' || s.data[s.i] == '\t') {
		s.i++
		n++
	}
	return n
}

// indentation skips the spaces that indent a line and returns how many.
func (s *nestScan) indentation() int {
	n := 0
	for s.i < len(s.data) && s.data[s.i] == ' ' {
		s.i++
		n++
	}
	return n
}

// skipWord skips to the next space or line end.
func (s *nestScan) skipWord() {
	for s.i < len(s.data) && !isSpaceOrEnd(s.data[s.i]) {
		s.i++
	}
}

// toEOL moves past the end of the line: "\n", "\r\n" or, as the parser
// has it, a lone "\r".
func (s *nestScan) toEOL() {
	for s.i < len(s.data) && !isBreak(s.data[s.i]) {
		s.i++
	}
	if s.peek(0) == '\r' && s.peek(1) == '\n' {
		s.i++
	}
	s.i++
}

// peek returns the byte k ahead, or a line break past the end.
func (s *nestScan) peek(k int) byte {
	if s.i+k < len(s.data) {
		return s.data[s.i+k]
	}
	return '\n'
}

func isBreak(c byte) bool         { return c == '\n' || c == '\r' }
func isFlowIndicator(c byte) bool { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}' }
func isSpaceOrEnd(c byte) bool    { return c == ' ' || c == '\t' || isBreak(c) }
