// Command podman-sandboxkey is test infrastructure for the Connect mesh (tools/mesh.sh): a
// reverse proxy in front of podman's Docker-compatible API socket that works around a podman 4.3
// bug, so that Nomad's docker driver can set up bridge networking on it.
//
// The bug: podman 4.3.1 (Debian 12's podman, also the newest in bookworm-backports) answers
// GET /containers/{id}/json for a running container created with NetworkMode "none" with an
// empty NetworkSettings.SandboxKey, where Docker gives the path of the container's network
// namespace. Nomad's docker driver creates the group's pause container that way and hands the
// SandboxKey to CNI as CNI_NETNS, so every bridge-mode allocation fails with
// "required env variables [CNI_NETNS] missing". Podman fills the field in later releases.
//
// The proxy passes every request through unchanged (streams and connection upgrades included)
// and, only in the answer to a container inspect whose SandboxKey is empty while State.Pid is
// set, fills SandboxKey with /proc/<pid>/ns/net: the namespace the kernel itself names. Nothing
// else is rewritten.
//
// Usage: podman-sandboxkey -listen <socket Nomad uses> -upstream <podman's socket>
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"syscall"
)

// inspectPath matches GET /containers/{id}/json, with or without an API version prefix.
var inspectPath = regexp.MustCompile(`^(/v[0-9.]+)?/containers/[^/]+/json$`)

// fillSandboxKey rewrites an inspect answer whose SandboxKey is empty; it reports whether it did.
func fillSandboxKey(body []byte) ([]byte, bool, error) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, false, err
	}
	state, _ := doc["State"].(map[string]any)
	settings, _ := doc["NetworkSettings"].(map[string]any)
	if state == nil || settings == nil {
		return body, false, nil
	}
	pid, _ := state["Pid"].(float64)
	if key, _ := settings["SandboxKey"].(string); key != "" || pid <= 0 {
		return body, false, nil
	}
	settings["SandboxKey"] = "/proc/" + strconv.Itoa(int(pid)) + "/ns/net"
	out, err := json.Marshal(doc)
	return out, true, err
}

func modifyResponse(resp *http.Response) error {
	req := resp.Request
	if req.Method != http.MethodGet || resp.StatusCode != http.StatusOK || !inspectPath.MatchString(req.URL.Path) {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("reading %s: %w", req.URL.Path, err)
	}
	out, changed, err := fillSandboxKey(body)
	if err != nil {
		return fmt.Errorf("decoding %s: %w", req.URL.Path, err)
	}
	if changed {
		log.Printf("filled the empty SandboxKey of %s", req.URL.Path)
	}
	resp.Body = io.NopCloser(bytes.NewReader(out))
	resp.ContentLength = int64(len(out))
	resp.Header.Set("Content-Length", strconv.Itoa(len(out)))
	return nil
}

func main() {
	listen := flag.String("listen", "", "unix socket to serve (the docker endpoint Nomad is given)")
	upstream := flag.String("upstream", "", "podman's API socket (podman system service)")
	flag.Parse()
	if *listen == "" || *upstream == "" {
		fmt.Fprintln(os.Stderr, "usage: podman-sandboxkey -listen <socket> -upstream <podman socket>")
		os.Exit(2)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme = "http"
			r.Out.URL.Host = "podman"
		},
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, "unix", *upstream)
			},
		},
		// Logs and event streams go through as they come.
		FlushInterval:  -1,
		ModifyResponse: modifyResponse,
	}
	_ = os.Remove(*listen)
	ln, err := net.Listen("unix", *listen)
	if err != nil {
		log.Fatalf("listen on %s: %v", *listen, err)
	}
	if err := os.Chmod(*listen, 0o600); err != nil {
		log.Fatalf("chmod %s: %v", *listen, err)
	}
	srv := &http.Server{Handler: proxy}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	log.Printf("serving %s -> %s", *listen, *upstream)
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatalf("serve: %v", err)
	}
	_ = os.Remove(*listen)
}
