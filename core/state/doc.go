// Package state is comfyhcl's record of what it has made: comfyhcl.state.json. It knows
// the file's format, reads it, and writes it atomically (temp file, fsync, rename, with a
// .backup of the previous version). It holds no secrets, ever: only names, hashes, sizes,
// prompt ids and output paths.
//
// Neighbours: core builds plans against a State and hands it back to Save after every
// finished item; nothing else writes the file.
package state
