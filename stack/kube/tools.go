// Package kube is the Command Center's local Kubernetes control-plane build.
// The binaries live in ./cmd/<name>; see README.md.
package kube
