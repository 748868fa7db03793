// Package planfile reads and writes saved plans (`plan -out=FILE`): the changes to make,
// the state lineage and serial they were planned against, the configuration's hash and
// the seeds drawn at plan time, so that `apply FILE` does exactly what was reviewed or
// refuses to run when the world moved on. Files are mode 0600 and hold no secrets.
//
// Neighbours: core converts its Plan to and from File; core/state provides the atomic
// write. Nothing here talks to a server.
package planfile
