package config

import (
	"bytes"
	"io"
	"os"
	"slices"
)

// The limits of one file, checked before the YAML parser runs, whose
// time and memory grow with the file's size and, quadratically, with its
// nesting.
const (
	// MaxFileSize is the largest file read, in bytes: about four times
	// a tree of 100,000 processes written one per line.
	MaxFileSize = 16 << 20
	// MaxNesting bounds how deep mappings and lists nest, counting every
	// level of the file; a tree nested the full 32 supervisors deep
	// needs about 70.
	MaxNesting = 128
	// maxAliasNodes bounds the nodes that aliases add to a file once
	// expanded, against "billion laughs" files.
	maxAliasNodes = 100_000
)

// ReadFile reads the file at path, refusing one larger than MaxFileSize
// without reading more than one byte past the limit.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(512)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > MaxFileSize {
			return nil, tooLarge(path, st.Size())
		}
		size = st.Size() + 1 // + 1 to see the end of the file in one read
	}
	return readBounded(path, f, size)
}

// readBounded reads r to its end, refusing more than MaxFileSize bytes;
// size is the capacity to start with. It grows its buffer itself, by
// doubling up to the limit and no further, so that an endless reader
// costs about twice the limit.
func readBounded(name string, r io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, MaxFileSize+1))
	for {
		if len(buf) == cap(buf) {
			if len(buf) > MaxFileSize {
				return nil, tooLarge(name, int64(len(buf)))
			}
			buf = slices.Grow(buf, min(cap(buf), MaxFileSize+1-len(buf)))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if len(buf) > MaxFileSize {
				return nil, tooLarge(name, int64(len(buf)))
			}
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// tooLarge is the error for a file of size bytes, or at least that many.
func tooLarge(name string, size int64) error {
	ps := problems{file: name}
	ps.add(0, 0, "", "the file is larger than the limit of %d MiB, expected a smaller file: "+
		"remove long comments or values, or share repeated settings with anchors and merge keys (<<)", MaxFileSize>>20)
	return ps.err()
}

// checkLimits reports a file that crosses a limit checked before parsing.
func checkLimits(name string, data []byte) error {
	if len(data) > MaxFileSize {
		return tooLarge(name, int64(len(data)))
	}
	at, over := nestingOver(data, MaxNesting)
	if !over {
		return nil
	}
	line := bytes.Count(data[:at], []byte("\n")) + 1
	col := at - (bytes.LastIndexByte(data[:at], '\n') + 1) + 1
	ps := problems{file: name}
	ps.add(line, col, "", "mappings and lists nested more than %d deep, expected at most %d: "+
		"flatten the nesting here (supervisors nest at most %d deep)", MaxNesting, MaxNesting, maxDepth)
	return ps.err()
}
