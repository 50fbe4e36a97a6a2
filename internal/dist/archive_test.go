package dist

import (
	"bytes"
	"io/fs"
	"testing"
	"time"
)

func TestTgz_SortedOwnedByRootTimedFixed(t *testing.T) {
	in := []file{
		{"package/z.txt", 0o644, []byte("z")},
		{"package/bin/tool", 0o755, []byte("#!/bin/sh\n")},
		{"package/a.txt", 0o644, nil},
	}
	b, err := tgz(in, testDate)
	if err != nil {
		t.Fatal(err)
	}
	got := readTgz(t, b)
	want := []string{"package/a.txt", "package/bin/tool", "package/z.txt"}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i, e := range got {
		h := e.hdr
		if h.Name != want[i] {
			t.Errorf("entry %d is %s, want %s", i, h.Name, want[i])
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(testDate) {
			t.Errorf("%s: uid %d gid %d %q/%q mtime %v; want 0 0, no names, %v", h.Name, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime, testDate)
		}
	}
	if m := got[1].hdr.Mode; m != 0o755 {
		t.Errorf("executable mode %o, want 755", m)
	}
	if m := got[0].hdr.Mode; m != 0o644 {
		t.Errorf("file mode %o, want 644", m)
	}
	if string(got[1].data) != "#!/bin/sh\n" {
		t.Errorf("contents %q", got[1].data)
	}

	// The same files in another order give the same bytes.
	again, err := tgz([]file{in[2], in[0], in[1]}, testDate)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Error("tgz depends on the order of its input")
	}
	later, _ := tgz(in, testDate.Add(time.Hour))
	if bytes.Equal(b, later) {
		t.Error("tgz ignores the time it is given")
	}
}

func TestZip_KeepsOrderModesAndTime(t *testing.T) {
	in := []file{{"b/script", 0o755, []byte("\x7fELF")}, {"a/METADATA", 0o644, []byte("Name: x\n")}}
	b, err := zipFiles(in, testDate)
	if err != nil {
		t.Fatal(err)
	}
	zr := readZip(t, b)
	if len(zr.File) != 2 || zr.File[0].Name != "b/script" || zr.File[1].Name != "a/METADATA" {
		t.Fatalf("entries %v, want b/script then a/METADATA", zr.File)
	}
	if m := zr.File[0].Mode(); m != 0o755 {
		t.Errorf("script mode %v, want -rwxr-xr-x", m)
	}
	if m := zr.File[1].Mode(); m != fs.FileMode(0o644) {
		t.Errorf("METADATA mode %v, want -rw-r--r--", m)
	}
	for _, f := range zr.File {
		if !f.Modified.Equal(testDate) {
			t.Errorf("%s modified %v, want %v", f.Name, f.Modified, testDate)
		}
	}
	if got := string(zipData(t, zr.File[0])); got != "\x7fELF" {
		t.Errorf("script contents %q", got)
	}
	again, _ := zipFiles(in, testDate)
	if !bytes.Equal(b, again) {
		t.Error("zip of the same files differs between runs")
	}
}
