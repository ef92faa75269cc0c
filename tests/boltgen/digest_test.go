package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// The check worker runs as a child process of the test binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == checkWorkerCommand {
		os.Exit(runCheckWorker(os.Args[2:]))
	}
	os.Exit(m.Run())
}

func fullDigest(t *testing.T, db *bolt.DB) (int, Digest) {
	t.Helper()
	var txid int
	var d Digest
	if err := db.View(func(tx *bolt.Tx) error {
		txid, d = tx.ID(), FullDigest(tx)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return txid, d
}

func TestEntryEncodingIsUnambiguous(t *testing.T) {
	hs := newHasher()
	seen := map[[32]byte]string{}
	add := func(name string, path []string, key, value string, bucket bool) {
		p := make([][]byte, len(path))
		for i, c := range path {
			p[i] = []byte(c)
		}
		h := *hs.entry(p, []byte(key), []byte(value), bucket)
		if other, ok := seen[h]; ok {
			t.Fatalf("%s and %s hash the same", name, other)
		}
		seen[h] = name
	}
	add("a/b:c", []string{"a", "b"}, "c", "v", false)
	add("ab:c", []string{"ab"}, "c", "v", false)
	add("a:bc", []string{"a"}, "bc", "v", false)
	add("a/b:c bucket", []string{"a", "b"}, "c", "", true)
	add("a/b:c empty", []string{"a", "b"}, "c", "", false)
	add("a/b/c:v", []string{"a", "b", "c"}, "v", "", false)
}

func TestIncrementalDigestMatchesFullWalk(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "d.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g := newRNG(42, "digest-test")
	vg := &valueGen{g: g, pageSize: db.Info().PageSize}
	cs, _ := shapeContainers("deep")
	cs = append(cs, container{path: []string{rootBucket, "wide"}, spec: flatSpec, weight: 50})
	type rec struct {
		ci int
		id []byte
	}
	var recs []rec
	var d Digest
	for round := range 60 {
		err := db.Update(func(tx *bolt.Tx) error {
			m := newMutator(tx, &d)
			if _, err := bumpRaftIndex(m); err != nil {
				return err
			}
			for range 1 + g.intn(25) {
				switch op := g.intn(10); {
				case op < 4 || len(recs) == 0:
					ci := pickWeighted(g, cs)
					p := cs[ci].pathBytes()
					b, err := m.ensurePath(p)
					if err != nil {
						return err
					}
					id := g.id()
					if err := insertRecord(m, vg, p, b, id, cs[ci].spec); err != nil {
						return err
					}
					recs = append(recs, rec{ci, id})
				case op < 7:
					r := recs[g.intn(len(recs))]
					p := cs[r.ci].pathBytes()
					if err := updateRecord(m, vg, p, openPath(tx, p), r.id, cs[r.ci].spec); err != nil {
						return err
					}
				case op < 9:
					i := g.intn(len(recs))
					r := recs[i]
					p := cs[r.ci].pathBytes()
					if err := deleteRecord(m, p, openPath(tx, p), r.id, cs[r.ci].spec); err != nil {
						return err
					}
					recs = append(recs[:i], recs[i+1:]...)
				default:
					// Plain keys with empty values, then deleted again.
					p := [][]byte{[]byte(rootBucket), []byte("misc")}
					b, err := m.ensurePath(p)
					if err != nil {
						return err
					}
					k := []byte("k" + strconv.Itoa(g.intn(5)))
					if g.intn(2) == 0 {
						if err := m.put(p, b, k, []byte{}); err != nil {
							return err
						}
					} else if err := m.del(p, b, k); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, full := fullDigest(t, db); full != d {
			t.Fatalf("round %d: incremental %s != full %s", round, d.Hex(), full.Hex())
		}
	}
	if d == (Digest{}) {
		t.Fatal("digest of a non-empty DB is zero")
	}
}

// The live writer's logged digest for each txid equals a full walk.
func TestWriterLogMatchesFullDigest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.db")
	if _, err := generate(genConfig{out: path, size: 1 << 20, seed: 9, shape: "ziti"}); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	logf, err := os.Create(filepath.Join(dir, "w.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	w, err := startLiveWriter(db, 3, logf)
	if err != nil {
		t.Fatal(err)
	}
	for range 300 {
		if err := w.commit(false); err != nil {
			t.Fatal(err)
		}
	}
	txid, full := fullDigest(t, db)
	data, err := os.ReadFile(logf.Name())
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	var last string
	for sc := bufio.NewScanner(strings.NewReader(string(data))); sc.Scan(); lines++ {
		last = sc.Text()
	}
	if lines != 301 {
		t.Fatalf("%d log lines, want 301", lines)
	}
	if want := strconv.Itoa(txid) + " " + full.Hex(); last != want {
		t.Fatalf("last log line %q, want %q", last, want)
	}
}
