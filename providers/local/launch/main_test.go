package launch_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

// TestMain doubles as the fake ComfyUI: with LAUNCH_FAKE_SERVE=1 the test binary answers
// /system_stats like ComfyUI on the address given as its last argument until SIGTERM.
func TestMain(m *testing.M) {
	if os.Getenv("LAUNCH_FAKE_SERVE") == "1" {
		os.Exit(serveSim(os.Args[len(os.Args)-1]))
	}
	os.Exit(m.Run())
}

func serveSim(addr string) int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /system_stats", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"system": {"os": "posix", "comfyui_version": "0.3.64"}, "devices": []}`)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	fmt.Println("To see the GUI go to: http://" + addr)
	<-sigs
	srv.Close()
	return 0
}
