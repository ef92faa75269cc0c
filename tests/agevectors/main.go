// agevectors writes the age project's test vectors (C2SP CCTV,
// c2sp.org/CCTV/age, pinned by go.mod and go.sum here) into a directory,
// one file per vector, for the C++ tests (AgeVectorsTest) to read.
//
// Each vector is written as published, but for one change: a body marked
// "compressed: zlib" is inflated and that header line dropped, so the C++
// side reads plain age files without linking zlib. A "count" file holds the
// number of vectors written, so the test can tell a partial copy.
//
//	go run . -out DIR
package main

import (
	"bytes"
	"compress/zlib"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"

	agetest "c2sp.org/CCTV/age"
)

func main() {
	out := flag.String("out", "", "directory to write the vectors to (replaced)")
	flag.Parse()
	if *out == "" {
		log.Fatal("usage: agevectors -out DIR")
	}
	if err := os.RemoveAll(*out); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	names, err := fs.Glob(agetest.Vectors, "*")
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(agetest.Vectors, name)
		if err != nil {
			log.Fatal(err)
		}
		plain, err := inflate(data)
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(*out, name), plain, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	count := fmt.Sprintf("%d\n", len(names))
	if err := os.WriteFile(filepath.Join(*out, "count"), []byte(count), 0o644); err != nil {
		log.Fatal(err)
	}
}

// inflate returns the vector with a zlib-compressed body inflated and its
// "compressed: zlib" line removed; other vectors unchanged.
func inflate(data []byte) ([]byte, error) {
	head, body, ok := bytes.Cut(data, []byte("\n\n"))
	if !ok {
		return nil, fmt.Errorf("no blank line after the vector's header")
	}
	var kept []string
	compressed := false
	for _, line := range strings.Split(string(head), "\n") {
		if line == "compressed: zlib" {
			compressed = true
			continue
		}
		kept = append(kept, line)
	}
	if !compressed {
		return data, nil
	}
	r, err := zlib.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return append([]byte(strings.Join(kept, "\n")+"\n\n"), plain...), nil
}
