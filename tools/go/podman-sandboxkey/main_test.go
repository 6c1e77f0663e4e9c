package main

import (
	"encoding/json"
	"testing"
)

func sandboxKey(t *testing.T, body []byte) string {
	t.Helper()
	var doc struct {
		NetworkSettings struct{ SandboxKey string }
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.NetworkSettings.SandboxKey
}

func TestEmptySandboxKeyOfARunningContainerIsFilledFromItsPid(t *testing.T) {
	out, changed, err := fillSandboxKey([]byte(`{"State":{"Pid":4242},"NetworkSettings":{"SandboxKey":""},"Id":"x"}`))
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	if got := sandboxKey(t, out); got != "/proc/4242/ns/net" {
		t.Fatalf("SandboxKey = %q", got)
	}
}

func TestSandboxKeyThatPodmanFilledIsKept(t *testing.T) {
	in := []byte(`{"State":{"Pid":4242},"NetworkSettings":{"SandboxKey":"/run/netns/x"}}`)
	out, changed, err := fillSandboxKey(in)
	if err != nil || changed || string(out) != string(in) {
		t.Fatalf("changed=%v err=%v out=%s", changed, err, out)
	}
}

func TestStoppedContainerIsLeftAlone(t *testing.T) {
	in := []byte(`{"State":{"Pid":0},"NetworkSettings":{"SandboxKey":""}}`)
	if _, changed, err := fillSandboxKey(in); err != nil || changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
}

func TestOnlyContainerInspectPathsAreRewritten(t *testing.T) {
	for path, want := range map[string]bool{
		"/v1.41/containers/abc/json": true,
		"/containers/abc/json":       true,
		"/v1.41/containers/json":     false,
		"/v1.41/containers/abc/logs": false,
		"/v1.41/images/abc/json":     false,
	} {
		if got := inspectPath.MatchString(path); got != want {
			t.Errorf("%s: match = %v, want %v", path, got, want)
		}
	}
}
