// Command boltgen is the Go test peer of ziti-backup: it drives the real bbolt
// (go.etcd.io/bbolt v1.5.0) to generate OpenZiti-controller-like databases,
// run a live writer (with an agent socket standing in for
// `ziti agent controller snapshot-db`), and check, inspect, copy and time
// databases with bbolt's own code. Each subcommand is in its own file.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

const usage = `usage: boltgen <command> [flags] [args]

commands:
  gen       --out PATH --size BYTES [--seed N] [--shape ziti|deep|inline|overflow|wide]
            [--page-size N] [--no-freelist-sync] [--churn]
  writer    --db PATH --rate N --log PATH [--duration D] [--commits N] [--ready PATH]
            [--agent-socket PATH] [--no-sync] [--seed N]
  agent     --socket PATH OUT
  check     PATH
  stats     PATH
  copy      --mode copyfile|writeto DB OUT
  checkonly DB
  corrupt   --in DB [--in DB]... --out-dir DIR [--only NAME]...
  damage-meta --db PATH [--which newest|older]
  change    --db PATH --fraction F [--per-tx N] [--seed N]
`

var commands = map[string]func([]string) int{
	"gen":         runGen,
	"writer":      runWriter,
	"agent":       runAgent,
	"check":       runCheck,
	"stats":       runStats,
	"copy":        runCopy,
	"checkonly":   runCheckOnly,
	"corrupt":     runCorrupt,
	"damage-meta": runDamageMeta,
	"change":      runChange,
	// Internal: the part of `check` that runs Tx.Check, in a child process
	// so that a memory fault inside bbolt's checker cannot take down `check`.
	checkWorkerCommand: runCheckWorker,
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		if a := os.Args[1]; a == "-h" || a == "--help" || a == "help" {
			fmt.Print(usage)
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "boltgen: unknown command %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	os.Exit(cmd(os.Args[2:]))
}

// parseSize accepts plain bytes or a number with a suffix: KiB, MiB, GiB,
// TiB (and K, M, G, T) are powers of 1024; KB, MB, GB, TB powers of 1000.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
	}
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 || n*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("invalid size %q (use bytes or a suffix like 500KiB, 64MiB, 1GiB)", s)
	}
	return int64(n * float64(mult)), nil
}

// openReadOnly opens path the way every reading subcommand does: read-only
// (shared flock), giving up after 2s if a writer holds the lock. A panic
// inside bbolt while opening (a corrupt file) is returned as an error.
func openReadOnly(path string) (db *bolt.DB, err error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err // bbolt would otherwise try to create it
	}
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
}

// oneLine keeps a message on one output line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
