//go:build !unix

package publish

import "os"

func writeFile(name string, data []byte, perm os.FileMode) (mtime int64, err error) {
	if err := os.WriteFile(name, data, perm); err != nil {
		return 0, err
	}
	fi, err := os.Lstat(name)
	if err != nil {
		return 0, err
	}
	return fi.ModTime().UnixNano(), nil
}

func openRead(name string) (*os.File, error) { return os.Open(name) }
