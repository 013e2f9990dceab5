package config

import "github.com/arborgo/arbor/supervisor"

// Policy returns the strategy as the supervisor names it, and false for a
// value the file format does not have.
func (s Strategy) Policy() (supervisor.Strategy, bool) {
	switch s {
	case OneForOne:
		return supervisor.OneForOne, true
	case OneForAll:
		return supervisor.OneForAll, true
	case RestForOne:
		return supervisor.RestForOne, true
	}
	return 0, false
}

// Policy returns the restart type as the supervisor names it.
func (r RestartType) Policy() supervisor.Restart {
	switch r {
	case Transient:
		return supervisor.Transient
	case Temporary:
		return supervisor.Temporary
	}
	return supervisor.Permanent
}

// Policy returns the auto_shutdown setting as the supervisor names it.
func (a AutoShutdown) Policy() supervisor.AutoShutdown {
	switch a {
	case AnySignificant:
		return supervisor.AnySignificant
	case AllSignificant:
		return supervisor.AllSignificant
	}
	return supervisor.Never
}
