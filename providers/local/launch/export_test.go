package launch

// ProcessAlive exposes processAlive to the external tests.
var ProcessAlive = processAlive

func init() { pollInterval = pollInterval / 10 }
