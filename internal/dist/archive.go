package dist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"time"
)

// file is one entry of an archive. Archives are written from these alone,
// never from the file system, so nothing of the machine that builds them (file
// times, owners, umask, directory order) reaches the bytes.
type file struct {
	name string
	mode int64 // 0o644 or 0o755
	data []byte
}

func sortFiles(fs []file) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].name < fs[j].name })
}

// tgz writes files as a gzipped tar, as npm pack does: sorted, owned by
// uid/gid 0 with no user or group names, every entry at mtime, no directory
// entries, and a gzip header without a name or time.
func tgz(files []file, mtime time.Time) ([]byte, error) {
	files = append([]file(nil), files...)
	sortFiles(files)
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(zw)
	for _, f := range files {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     f.name,
			Mode:     f.mode,
			Size:     int64(len(f.data)),
			ModTime:  mtime.UTC().Truncate(time.Second),
			Format:   tar.FormatUSTAR,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("tar %s: %w", f.name, err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// zipFiles writes files in the order given (a wheel's RECORD comes last), each
// deflated, at mtime, with Unix permissions so that pip keeps the binary
// executable.
func zipFiles(files []file, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, f := range files {
		hdr := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: mtime.UTC()}
		hdr.SetMode(fs.FileMode(f.mode))
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.name, err)
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
