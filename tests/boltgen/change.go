package main

// boltgen change: an hour of a controller's edits, for the incremental
// backup tests and bench/incremental.sh. Updates a given share of the
// records of a ziti-shaped DB (distinct records, chosen by the seed), a few
// per transaction as the controller commits them, and prints how many.
// Deterministic for a seed and a DB.

import (
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

type changeConfig struct {
	db       string
	fraction float64
	perTx    int
	seed     uint64
}

func runChange(args []string) int {
	fl := flag.NewFlagSet("change", flag.ContinueOnError)
	var cfg changeConfig
	fl.StringVar(&cfg.db, "db", "", "database to change (a ziti-shaped one, from gen)")
	fl.Float64Var(&cfg.fraction, "fraction", 0, "share of the records to update, 0 to 1 (0.01: 1%)")
	fl.IntVar(&cfg.perTx, "per-tx", 3, "records updated per transaction")
	fl.Uint64Var(&cfg.seed, "seed", 1, "PRNG seed")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if cfg.db == "" || fl.NArg() != 0 || cfg.fraction < 0 || cfg.fraction > 1 || cfg.perTx < 1 {
		fmt.Fprintln(os.Stderr, "boltgen change: usage: boltgen change --db PATH --fraction F [--per-tx N] [--seed N]")
		return 2
	}
	n, txs, err := change(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen change: %v\n", err)
		return 1
	}
	fmt.Printf("changed %d records in %d transactions\n", n, txs)
	return 0
}

func change(cfg changeConfig) (records, txs int, err error) {
	db, err := bolt.Open(cfg.db, 0o600, &bolt.Options{Timeout: 5 * time.Second, NoSync: true})
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if e := db.Close(); err == nil {
			err = e
		}
	}()
	g := newRNG(cfg.seed, "boltgen-change")
	vg := &valueGen{g: g, pageSize: db.Info().PageSize}
	containers, paths := zitiLayout()
	var all []liveRecord
	err = db.View(func(tx *bolt.Tx) error {
		for ci, p := range paths {
			b := openPath(tx, p)
			if b == nil {
				return fmt.Errorf("bucket %s is missing: not a ziti-shaped DB", pathString(p))
			}
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v == nil && b.Bucket(k) != nil {
					all = append(all, liveRecord{ci, append([]byte(nil), k...)})
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	// A partial Fisher-Yates shuffle: the first `want` are distinct and random.
	want := int(math.Round(cfg.fraction * float64(len(all))))
	for i := 0; i < want; i++ {
		j := i + g.intn(len(all)-i)
		all[i], all[j] = all[j], all[i]
	}
	for start := 0; start < want; start += cfg.perTx {
		chunk := all[start:min(start+cfg.perTx, want)]
		err := db.Update(func(tx *bolt.Tx) error {
			m := newMutator(tx, nil)
			if _, err := bumpRaftIndex(m); err != nil {
				return err
			}
			for _, r := range chunk {
				b := openPath(tx, paths[r.ci])
				if err := updateRecord(m, vg, paths[r.ci], b, r.id, containers[r.ci].spec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, 0, err
		}
		txs++
	}
	return want, txs, db.Sync()
}
