package main

// boltgen gen: writes a deterministic OpenZiti-controller-like database.

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

type genConfig struct {
	out            string
	size           int64
	seed           uint64
	shape          string
	pageSize       int
	noFreelistSync bool
	churn          bool
}

type genResult struct {
	txid int
	size int64
	keys int64
}

func runGen(args []string) int {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	var cfg genConfig
	var size string
	fl.StringVar(&cfg.out, "out", "", "output database path (replaced if it exists)")
	fl.StringVar(&size, "size", "", "minimum size: bytes, or with a suffix KiB, MiB, GiB (also K/M/G, KB/MB/GB)")
	fl.Uint64Var(&cfg.seed, "seed", 1, "PRNG seed; same flags and seed give the same content")
	fl.StringVar(&cfg.shape, "shape", "ziti", "ziti, deep, inline, overflow or wide")
	fl.IntVar(&cfg.pageSize, "page-size", 0, "bbolt page size (default: OS page size)")
	fl.BoolVar(&cfg.noFreelistSync, "no-freelist-sync", false, "open with NoFreelistSync (freelist not persisted)")
	fl.BoolVar(&cfg.churn, "churn", false, "after filling, delete ~20% and update ~20% of the records")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if cfg.out == "" || size == "" || fl.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "boltgen gen: usage: boltgen gen --out PATH --size BYTES [--seed N] [--shape ziti|deep|inline|overflow|wide] [--page-size N] [--no-freelist-sync] [--churn]")
		return 2
	}
	n, err := parseSize(size)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen gen: %v\n", err)
		return 2
	}
	cfg.size = n
	if ps := cfg.pageSize; ps != 0 && (ps < 1024 || ps > 65536 || ps&(ps-1) != 0) {
		fmt.Fprintf(os.Stderr, "boltgen gen: --page-size %d: want a power of two from 1024 to 65536\n", ps)
		return 2
	}
	res, err := generate(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen gen: %v\n", err)
		return 1
	}
	fmt.Printf("txid %d size %d keys %d\n", res.txid, res.size, res.keys)
	return 0
}

// generate fills cfg.out until the file (which bbolt grows ahead of its
// high-water mark) is at least cfg.size bytes. Every choice comes from one PRNG seeded by cfg.seed and
// bbolt allocates deterministically with no concurrent readers, so the same
// config yields the same content and txid.
func generate(cfg genConfig) (genResult, error) {
	var res genResult
	containers, err := shapeContainers(cfg.shape)
	if err != nil {
		return res, err
	}
	if cfg.size <= 0 {
		return res, errors.New("--size must be positive")
	}
	if err := os.Remove(cfg.out); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, err
	}
	db, err := bolt.Open(cfg.out, 0o600, &bolt.Options{
		Timeout:        5 * time.Second,
		PageSize:       cfg.pageSize,
		NoFreelistSync: cfg.noFreelistSync,
	})
	if err != nil {
		return res, fmt.Errorf("open %s: %w", cfg.out, err)
	}
	defer db.Close()
	// Nothing reads the file until we are done: skip the per-commit fsyncs
	// and sync once at the end.
	db.NoSync = true

	g := newRNG(cfg.seed, "boltgen-gen")
	vg := &valueGen{g: g, pageSize: db.Info().PageSize}
	paths := make([][][]byte, len(containers))
	for i, c := range containers {
		paths[i] = c.pathBytes()
	}

	// Layout: ziti, ziti/metadata and every container.
	err = db.Update(func(tx *bolt.Tx) error {
		m := newMutator(tx, nil)
		mpath := [][]byte{[]byte(rootBucket), []byte(metadataBucket)}
		mb, err := m.ensurePath(mpath)
		if err != nil {
			return err
		}
		if err := m.put(mpath, mb, []byte("clusterId"), stringField("ctrl-cluster-"+string(g.id()))); err != nil {
			return err
		}
		if err := m.put(mpath, mb, []byte("raftIndex"), int64Field(0)); err != nil {
			return err
		}
		for _, p := range paths {
			if _, err := m.ensurePath(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}

	batch := min(max(cfg.size/16, 256<<10), 32<<20)
	var flatCounter int64
	for {
		st, err := os.Stat(cfg.out)
		if err != nil {
			return res, err
		}
		if st.Size() >= cfg.size {
			break
		}
		err = db.Update(func(tx *bolt.Tx) error {
			m := newMutator(tx, nil)
			if _, err := bumpRaftIndex(m); err != nil {
				return err
			}
			open := make([]*bolt.Bucket, len(containers))
			for int64(m.bytes) < batch {
				ci := pickWeighted(g, containers)
				if open[ci] == nil {
					if open[ci] = openPath(tx, paths[ci]); open[ci] == nil {
						return fmt.Errorf("bucket %s vanished", pathString(paths[ci]))
					}
					if containers[ci].spec.flat {
						open[ci].FillPercent = 1.0 // sequential keys: pack pages full
					}
				}
				b := open[ci]
				var id []byte
				if containers[ci].spec.flat {
					id = fmt.Appendf(nil, "k%011d", flatCounter)
					flatCounter++
				} else {
					for id = g.id(); b.Get(id) != nil || b.Bucket(id) != nil; id = g.id() {
					}
				}
				if err := insertRecord(m, vg, paths[ci], b, id, containers[ci].spec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
	}

	if cfg.churn {
		if err := churn(db, g, vg, containers, paths); err != nil {
			return res, fmt.Errorf("churn: %w", err)
		}
	}
	if err := db.Sync(); err != nil {
		return res, err
	}
	err = db.View(func(tx *bolt.Tx) error {
		res.txid = tx.ID()
		res.keys = countKeys(tx)
		return nil
	})
	if err != nil {
		return res, err
	}
	if err := db.Close(); err != nil {
		return res, err
	}
	st, err := os.Stat(cfg.out)
	if err != nil {
		return res, err
	}
	res.size = st.Size()
	return res, nil
}

type churnAction struct {
	ci     int
	key    []byte
	delete bool
}

// churn deletes ~20% and updates ~20% of the records, in four transactions,
// leaving freed pages in the freelist.
func churn(db *bolt.DB, g *rng, vg *valueGen, containers []container, paths [][][]byte) error {
	var actions []churnAction
	err := db.View(func(tx *bolt.Tx) error {
		for ci, p := range paths {
			b := openPath(tx, p)
			if b == nil {
				continue
			}
			c := b.Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				switch r := g.intn(10); {
				case r < 2:
					actions = append(actions, churnAction{ci, append([]byte(nil), k...), true})
				case r < 4:
					actions = append(actions, churnAction{ci, append([]byte(nil), k...), false})
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	const txs = 4
	per := (len(actions) + txs - 1) / txs
	for start := 0; start < len(actions); start += per {
		chunk := actions[start:min(start+per, len(actions))]
		err := db.Update(func(tx *bolt.Tx) error {
			m := newMutator(tx, nil)
			if _, err := bumpRaftIndex(m); err != nil {
				return err
			}
			for _, a := range chunk {
				b := openPath(tx, paths[a.ci])
				spec := containers[a.ci].spec
				var err error
				if a.delete {
					err = deleteRecord(m, paths[a.ci], b, a.key, spec)
				} else {
					err = updateRecord(m, vg, paths[a.ci], b, a.key, spec)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
