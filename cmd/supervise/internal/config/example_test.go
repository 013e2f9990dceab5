package config_test

import (
	"fmt"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

func Example() {
	f, err := config.Parse("shop.yaml", []byte(`
name: shop
backoff: {initial: 1s}
children:
  - name: db
    command: [postgres, -D, /var/lib/pg]
    stop_signal: int
  - name: jobs
    strategy: rest_for_one
    shutdown: 1m
    children:
      - {name: queue, command: [./queue]}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range f.Root.Children {
		switch c := c.(type) {
		case *config.Process:
			fmt.Println(c.Path, c.Command, config.SignalName(c.StopSignal), c.Backoff.Initial)
		case *config.Group:
			fmt.Println(c.Path, c.Strategy, c.Children[0].(*config.Process).Shutdown)
		}
	}

	_, err = config.Parse("bad.yaml", []byte(`
children:
  - name: db
    command: [postgres]
    restrat: transient
  - name: db
    command: postgres
`))
	fmt.Println(err)
	// Output:
	// shop/db [postgres -D /var/lib/pg] SIGINT 1s
	// shop/jobs rest_for_one 1m0s
	// bad.yaml:5:5: children[0].restrat: unknown key (did you mean "restart"?)
	// bad.yaml:6:11: children[1].name: duplicate name "db", also used on line 3, expected names unique among siblings
	// bad.yaml:7:14: children[1].command: found "postgres", expected a list of arguments (argv, no shell), such as [postgres, -D, /var/lib/pg]
}
