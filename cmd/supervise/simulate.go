package main

import (
	"fmt"
	"io"
)

// simulateMain stands in for the simulate command until its package is
// built.
func simulateMain(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "simulate: not built yet")
	return 2
}
