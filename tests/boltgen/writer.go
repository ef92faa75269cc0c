package main

// boltgen writer: the live controller stand-in. Holds the DB open read-write
// (and so bbolt's exclusive flock) and commits small random transactions at a
// fixed rate, logging "<txid> <digest>" after opening and after every commit.
// SIGUSR1 halves the rate (down to 1 commit/s) and SIGUSR2 restores --rate:
// a test slows the writer each time a hot snapshot reports a retry, so a
// loaded machine costs retries, never a failed snapshot.

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

type writerConfig struct {
	db, log, ready, agentSocket string
	rate                        float64
	duration                    time.Duration
	commits                     int
	noSync                      bool
	seed                        uint64
}

func runWriter(args []string) int {
	fl := flag.NewFlagSet("writer", flag.ContinueOnError)
	var cfg writerConfig
	fl.StringVar(&cfg.db, "db", "", "database to write (created if missing)")
	fl.Float64Var(&cfg.rate, "rate", 0, "commits per second (0: as fast as possible)")
	fl.StringVar(&cfg.log, "log", "", "append \"<txid> <digest>\" lines here")
	fl.DurationVar(&cfg.duration, "duration", 0, "stop after this long (default: until SIGTERM/SIGINT)")
	fl.IntVar(&cfg.commits, "commits", 0, "stop after this many commits (default: no limit)")
	fl.StringVar(&cfg.ready, "ready", "", "create this file once the DB is open and the first log line written")
	fl.StringVar(&cfg.agentSocket, "agent-socket", "", "serve snapshot requests on this unix socket")
	fl.BoolVar(&cfg.noSync, "no-sync", false, "set db.NoSync (no fsync per commit)")
	fl.Uint64Var(&cfg.seed, "seed", 1, "PRNG seed")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if cfg.db == "" || cfg.log == "" || fl.NArg() != 0 || cfg.rate < 0 || cfg.commits < 0 {
		fmt.Fprintln(os.Stderr, "boltgen writer: usage: boltgen writer --db PATH --rate N --log PATH [--duration D] [--commits N] [--ready PATH] [--agent-socket PATH] [--no-sync] [--seed N]")
		return 2
	}
	if err := writeLive(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "boltgen writer: %v\n", err)
		return 1
	}
	return 0
}

type liveRecord struct {
	ci int
	id []byte
}

type liveWriter struct {
	db         *bolt.DB
	g          *rng
	vg         *valueGen
	containers []container
	paths      [][][]byte
	records    []liveRecord
	d          Digest
	hs         *hasher
	log        *os.File
	line       []byte
}

func writeLive(cfg writerConfig) (err error) {
	// Catch signals before the (possibly slow) start so an early SIGTERM
	// still means a clean stop.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(stop)
	adapt := make(chan os.Signal, 64)
	signal.Notify(adapt, syscall.SIGUSR1, syscall.SIGUSR2)
	defer signal.Stop(adapt)

	db, err := bolt.Open(cfg.db, 0o600, &bolt.Options{Timeout: 10 * time.Second, NoSync: cfg.noSync})
	if err != nil {
		return fmt.Errorf("open %s: %w", cfg.db, err)
	}
	defer func() { err = errors.Join(err, db.Close()) }()

	logf, err := os.OpenFile(cfg.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	w, err := startLiveWriter(db, cfg.seed, logf)
	if err != nil {
		return err
	}

	if cfg.agentSocket != "" {
		agent, err := startAgent(cfg.agentSocket, db)
		if err != nil {
			return fmt.Errorf("agent socket: %w", err)
		}
		defer agent.Close()
	}
	if cfg.ready != "" {
		if err := os.WriteFile(cfg.ready, fmt.Appendf(nil, "%d\n", os.Getpid()), 0o644); err != nil {
			return err
		}
	}

	var deadline <-chan time.Time
	if cfg.duration > 0 {
		deadline = time.After(cfg.duration)
	}
	var interval time.Duration
	rate := cfg.rate
	if rate > 0 {
		interval = time.Duration(float64(time.Second) / rate)
	}
	commits := 0
	start := time.Now()
	next := start
	// SIGUSR1: half the rate, SIGUSR2: --rate again; each change starts a
	// fresh schedule, so slowing down never ends in a catch-up burst.
	adjust := func(sig os.Signal) {
		if cfg.rate == 0 {
			return // as fast as possible has no rate to change
		}
		r := cfg.rate
		if sig == syscall.SIGUSR1 {
			r = max(rate/2, 1)
		}
		if r != rate {
			rate = r
			interval = time.Duration(float64(time.Second) / rate)
			next = time.Now().Add(interval)
			fmt.Fprintf(os.Stderr, "rate now %.1f/s\n", rate)
		}
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
loop:
	for cfg.commits == 0 || commits < cfg.commits {
		select {
		case <-stop:
			break loop
		case <-deadline:
			break loop
		case sig := <-adapt:
			adjust(sig)
			continue
		default:
		}
		// Commits are scheduled at start + i*interval, so sleeps do not
		// accumulate drift. Behind schedule we commit without sleeping, but
		// never try to catch up more than a second's worth in a burst.
		if interval > 0 {
			now := time.Now()
			if wait := next.Sub(now); wait > 0 {
				timer.Reset(wait)
				select {
				case <-stop:
					break loop
				case <-deadline:
					break loop
				case sig := <-adapt:
					timer.Stop() // (Go 1.23+: no stale tick after Stop)
					adjust(sig)
					continue
				case <-timer.C:
				}
			} else if -wait > time.Second {
				next = now.Add(-time.Second)
			}
			next = next.Add(interval)
		}
		if err := w.commit(false); err != nil {
			return err
		}
		commits++
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "commits %d seconds %.3f rate %.1f/s\n", commits, secs, float64(commits)/secs)
	return nil
}

// startLiveWriter computes the digest with the one full walk, collects the
// records to pick from, logs the opening line and, for a DB without the ziti
// layout, creates it in a first commit.
func startLiveWriter(db *bolt.DB, seed uint64, log *os.File) (*liveWriter, error) {
	g := newRNG(seed, "boltgen-writer")
	w := &liveWriter{db: db, g: g, vg: &valueGen{g: g, pageSize: db.Info().PageSize}, hs: newHasher(), log: log}
	w.containers, w.paths = zitiLayout()
	var txid int
	missing := false
	err := db.View(func(tx *bolt.Tx) error {
		txid = tx.ID()
		w.d = FullDigest(tx)
		missing = openPath(tx, [][]byte{[]byte(rootBucket), []byte(metadataBucket)}) == nil
		for ci, p := range w.paths {
			b := openPath(tx, p)
			if b == nil {
				missing = true
				continue
			}
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v == nil && b.Bucket(k) != nil {
					w.records = append(w.records, liveRecord{ci, append([]byte(nil), k...)})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := w.logLine(txid); err != nil {
		return nil, err
	}
	if missing {
		if err := w.commit(true); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// commit runs one random transaction (or, with setup, creates the layout),
// keeping the digest in step, and logs it.
func (w *liveWriter) commit(setup bool) error {
	tx, err := w.db.Begin(true)
	if err != nil {
		return err
	}
	d := w.d
	m := &mutator{tx: tx, d: &d, hs: w.hs}
	if err := w.mutate(m, setup); err != nil {
		_ = tx.Rollback()
		return err
	}
	txid := tx.ID() // the txid the new meta page will carry
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	w.d = d
	return w.logLine(txid)
}

func (w *liveWriter) mutate(m *mutator, setup bool) error {
	if _, err := bumpRaftIndex(m); err != nil {
		return err
	}
	if setup {
		for _, p := range w.paths {
			if _, err := m.ensurePath(p); err != nil {
				return err
			}
		}
		return nil
	}
	g := w.g
	for i, n := 0, g.between(1, 3); i < n; i++ {
		op := g.intn(10)
		if len(w.records) == 0 {
			op = 6 // insert
		}
		switch {
		case op < 6: // update 1-3 fields of a record
			r := w.records[g.intn(len(w.records))]
			b := openPath(m.tx, w.paths[r.ci])
			if b == nil {
				return fmt.Errorf("bucket %s vanished", pathString(w.paths[r.ci]))
			}
			if err := updateRecord(m, w.vg, w.paths[r.ci], b, r.id, w.containers[r.ci].spec); err != nil {
				return err
			}
		case op < 8: // insert a record
			ci := pickWeighted(g, w.containers)
			b := openPath(m.tx, w.paths[ci])
			if b == nil {
				return fmt.Errorf("bucket %s vanished", pathString(w.paths[ci]))
			}
			id := g.id()
			for b.Get(id) != nil || b.Bucket(id) != nil {
				id = g.id()
			}
			if err := insertRecord(m, w.vg, w.paths[ci], b, id, w.containers[ci].spec); err != nil {
				return err
			}
			w.records = append(w.records, liveRecord{ci, id})
		default: // delete a record
			i := g.intn(len(w.records))
			r := w.records[i]
			b := openPath(m.tx, w.paths[r.ci])
			if b == nil {
				return fmt.Errorf("bucket %s vanished", pathString(w.paths[r.ci]))
			}
			if err := deleteRecord(m, w.paths[r.ci], b, r.id, w.containers[r.ci].spec); err != nil {
				return err
			}
			w.records[i] = w.records[len(w.records)-1]
			w.records = w.records[:len(w.records)-1]
		}
	}
	return nil
}

// logLine appends "<txid> <digest>\n" with a single write.
func (w *liveWriter) logLine(txid int) error {
	w.line = fmt.Appendf(w.line[:0], "%d %s\n", txid, w.d.Hex())
	_, err := w.log.Write(w.line)
	return err
}
