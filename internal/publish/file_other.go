//go:build !unix

package publish

import "os"

func writeFile(name string, data []byte, perm os.FileMode) error {
	return os.WriteFile(name, data, perm)
}

func openRead(name string) (*os.File, error) { return os.Open(name) }
