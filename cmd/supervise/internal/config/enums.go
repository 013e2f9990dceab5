package config

// Strategy is what a supervisor restarts when a child ends.
type Strategy string

// The restart strategies, as in OTP.
const (
	OneForOne  Strategy = "one_for_one"  // only the child that ended
	OneForAll  Strategy = "one_for_all"  // all children
	RestForOne Strategy = "rest_for_one" // the child and those after it
)

// String returns the strategy as written in the file.
func (s Strategy) String() string { return string(s) }

// RestartType says when a child that ended is restarted.
type RestartType string

// The restart types, as in OTP.
const (
	Permanent RestartType = "permanent" // always
	Transient RestartType = "transient" // only after a failure
	Temporary RestartType = "temporary" // never
)

// String returns the restart type as written in the file.
func (r RestartType) String() string { return string(r) }

// AutoShutdown says when a supervisor shuts itself down because its
// significant children have ended (OTP's auto_shutdown).
type AutoShutdown string

// The auto_shutdown settings, as in OTP.
const (
	Never          AutoShutdown = "never"           // never
	AnySignificant AutoShutdown = "any_significant" // when any has ended
	AllSignificant AutoShutdown = "all_significant" // when all have ended
)

// String returns the setting as written in the file.
func (a AutoShutdown) String() string { return string(a) }

var (
	strategies    = []string{"one_for_one", "one_for_all", "rest_for_one"}
	restartTypes  = []string{"permanent", "transient", "temporary"}
	autoShutdowns = []string{"never", "any_significant", "all_significant"}
)
