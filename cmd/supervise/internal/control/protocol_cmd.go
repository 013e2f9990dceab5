package control

// The commands that change the running tree. Each is accepted only from a
// peer whose uid is supervise's own or root.
const (
	CmdRestart = "restart"
	CmdStop    = "stop"
	CmdStart   = "start"
	CmdSignal  = "signal"
	CmdReload  = "reload"
)

// mutating reports whether cmd changes the running tree.
func mutating(cmd string) bool {
	switch cmd {
	case CmdRestart, CmdStop, CmdStart, CmdSignal, CmdReload:
		return true
	}
	return false
}

// Reply is the answer to a command that changes the tree, as one JSON
// line.
type Reply struct {
	// Lines are what the command prints: the plan of a reload.
	Lines []string `json:"lines,omitempty"`
	// Error says why the command could not be done, naming the path; ""
	// when it was done.
	Error string `json:"error,omitempty"`
	// Invalid is set when a reload found the file invalid: Error holds
	// its errors, and nothing was applied.
	Invalid bool `json:"invalid,omitempty"`
}
